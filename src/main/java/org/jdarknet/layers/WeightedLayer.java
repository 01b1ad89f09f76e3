package org.jdarknet.layers;

import org.jdarknet.backend.Activation;
import org.jdarknet.backend.Epilogue;
import org.jdarknet.backend.Shape;
import org.jdarknet.backend.Tensor;
import org.jdarknet.backend.WeightedOperation;

/**
 * What convolutional and connected layers share: a prepared {@link WeightedOperation} on learned
 * weights, then darknet's {@link OutputStage} (batch normalisation or a bias, the activation),
 * forward at inference, forward while training, and back. The subclasses say what the operation
 * is, their file order and how they print.
 */
abstract class WeightedLayer extends AbstractLayer {
    private final WeightedOperation operation;
    private final OutputStage stage;
    private final Epilogue inference;
    protected final Parameter weights;

    /**
     * @param operation the layer's prepared operation, owned (and closed) by the layer
     * @param transpose when a weights file may hold the weights transposed
     */
    protected WeightedLayer(BuildContext context, Shape output, WeightedOperation operation, Shape weightShape,
                            Parameter.Transpose transpose, Activation activation, boolean batchNormalize,
                            LayerOptions options) {
        super(context, output, options);
        this.operation = operation;
        this.stage = new OutputStage(context, output, activation, batchNormalize);
        stage.scratch().forEach(this::own);
        this.inference = stage.inference().withResidual(context.fusedResidual());
        this.weights = context.learned("weights", Parameter.Kind.WEIGHTS, weightShape, transpose);
    }

    public Activation activation() {
        return stage.activation();
    }

    protected OutputStage stage() {
        return stage;
    }

    @Override
    public boolean outputIsNextLayers() {
        return inference.residual() != null;
    }

    /** At inference, with the next layer's shortcut when the network fused it into this one. */
    @Override
    public void forward(Tensor input) {
        operation.forward(input, weights.value(), inference, output());
    }

    /**
     * The inference output before the activation (after batch normalisation or the bias) into
     * {@code preActivation}, a tensor of the output's shape; the layer's own output is untouched.
     * What calibration measures for a quantised output (the int8 ONNX export's).
     */
    public void forwardPreActivation(Tensor input, Tensor preActivation) {
        operation.forward(input, weights.value(), stage.preActivation(), preActivation);
    }

    @Override
    public void forwardTraining(Tensor input, TrainingPass pass) {
        operation.forward(input, weights.value(), Epilogue.NONE, output());
        stage.forwardTraining(backend, output());
    }

    @Override
    public void backward(Tensor input, Tensor inputDelta) {
        stage.backward(backend, output(), delta());
        operation.backward(input, weights.value(), delta(), weights.gradient(), inputDelta);
    }

    @Override
    public void close() {
        operation.close();
        super.close();
    }
}
