package org.jdarknet.layers;

import java.util.ArrayList;
import java.util.List;
import org.jdarknet.backend.Activation;
import org.jdarknet.backend.Epilogue;
import org.jdarknet.backend.Shape;
import org.jdarknet.backend.Tensor;
import org.jdarknet.cfg.CfgSection;

/**
 * {@code [connected]}: every output is a weighted sum of all inputs (the previous output read as a
 * flat vector), then batch normalisation or a bias, then the activation (default logistic).
 * Weights are outputs × inputs; the file stores batch-norm values after the weights.
 */
public final class ConnectedLayer extends AbstractLayer {
    private final int inputs;
    private final int outputs;
    private final OutputStage stage;
    private final Parameter weights;

    private ConnectedLayer(BuildContext context, int outputs, Activation activation, boolean batchNormalize,
                           LayerOptions options) {
        super(context, new Shape(context.input().n(), outputs, 1, 1), options);
        this.inputs = context.input().itemSize();
        this.outputs = outputs;
        this.stage = new OutputStage(context, outputShape(), activation, batchNormalize);
        stage.scratch().forEach(this::own);
        this.weights = context.learned("weights", Parameter.Kind.WEIGHTS, new Shape(outputs, inputs, 1, 1),
                new Parameter.Transpose(Parameter.Transpose.Rule.WHEN_HEADER_SAYS, inputs, outputs));
    }

    public static ConnectedLayer parse(CfgSection section, BuildContext context) {
        int outputs = section.getInt("output", 1);
        ConvolutionalLayer.requirePositive(section, "output", outputs);
        Activation activation = context.activation(section, Activation.LOGISTIC);
        boolean batchNormalize = section.getFlag("batch_normalize", false);
        return new ConnectedLayer(context, outputs, activation, batchNormalize, LayerOptions.parse(section));
    }

    public Activation activation() {
        return stage.activation();
    }

    @Override
    public String kind() {
        return "connected";
    }

    @Override
    public void forward(Tensor input) {
        backend.connected(input, weights.value(), stage.inference(), output());
    }

    @Override
    public void forwardTraining(Tensor input, TrainingPass pass) {
        backend.connected(input, weights.value(), Epilogue.NONE, output());
        stage.forwardTraining(backend, output());
    }

    @Override
    public void backward(Tensor input, Tensor inputDelta) {
        stage.backward(backend, output(), delta());
        backend.connectedBackward(input, weights.value(), delta(), weights.gradient(), inputDelta);
    }

    /** Darknet's file order: biases, weights, then [scales, rolling mean, rolling variance]. */
    @Override
    public List<Parameter> parameters() {
        List<Parameter> list = new ArrayList<>();
        list.add(stage.biases());
        list.add(weights);
        list.addAll(stage.batchNormParameters());
        return list;
    }

    @Override
    public long flops() {
        return 2L * inputs * outputs;
    }

    @Override
    public String summary() {
        return String.format("connected                            %4d  ->  %4d", inputs, outputs);
    }
}
