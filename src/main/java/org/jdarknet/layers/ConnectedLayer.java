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
    private final Parameter biases;
    private final Parameter weights;
    private final BatchNormParameters batchNorm;
    private final Epilogue epilogue;
    private final Activation activation;

    private ConnectedLayer(BuildContext context, int outputs, Activation activation, boolean batchNormalize,
                           LayerOptions options) {
        super(context, new Shape(context.input().n(), outputs, 1, 1), options);
        this.inputs = context.input().itemSize();
        this.outputs = outputs;
        this.activation = activation;
        this.biases = Parameter.of("biases", backend.allocateParameter(Shape.vector(outputs)));
        this.weights = new Parameter("weights", backend.allocateParameter(new Shape(outputs, inputs, 1, 1)), false,
                new Parameter.Transpose(Parameter.Transpose.Rule.WHEN_HEADER_SAYS, inputs, outputs));
        this.batchNorm = batchNormalize ? new BatchNormParameters(backend, outputs) : null;
        this.epilogue = new Epilogue(batchNormalize ? batchNorm.withRollingStatistics(context.batchNormStyle()) : null,
                biases.value(), activation);
    }

    public static ConnectedLayer parse(CfgSection section, BuildContext context) {
        int outputs = section.getInt("output", 1);
        ConvolutionalLayer.requirePositive(section, "output", outputs);
        Activation activation = context.activation(section, Activation.LOGISTIC);
        boolean batchNormalize = section.getFlag("batch_normalize", false);
        return new ConnectedLayer(context, outputs, activation, batchNormalize, LayerOptions.parse(section));
    }

    public Activation activation() {
        return activation;
    }

    @Override
    public String kind() {
        return "connected";
    }

    @Override
    public void forward(Tensor input) {
        backend.connected(input, weights.value(), epilogue, output());
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> list = new ArrayList<>();
        list.add(biases);
        list.add(weights);
        if (batchNorm != null) {
            list.addAll(batchNorm.list());
        }
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
