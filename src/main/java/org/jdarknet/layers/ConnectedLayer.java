package org.jdarknet.layers;

import java.util.ArrayList;
import java.util.List;
import org.jdarknet.backend.Activation;
import org.jdarknet.backend.ConnectedSpec;
import org.jdarknet.cfg.CfgSection;

/**
 * {@code [connected]}: every output is a weighted sum of all inputs (the previous output read as a
 * flat vector), then batch normalisation or a bias, then the activation (default logistic).
 * Weights are outputs × inputs; the file stores batch-norm values after the weights.
 */
public final class ConnectedLayer extends WeightedLayer {
    private final ConnectedSpec spec;

    private ConnectedLayer(BuildContext context, ConnectedSpec spec, Activation activation, boolean batchNormalize,
                           LayerOptions options) {
        super(context, spec.output(), context.backend().connected(spec), spec.weights(),
                new Parameter.Transpose(Parameter.Transpose.Rule.WHEN_HEADER_SAYS, spec.inputs(), spec.outputs()),
                activation, batchNormalize, options);
        this.spec = spec;
    }

    public static ConnectedLayer parse(CfgSection section, BuildContext context) {
        int outputs = section.getInt("output", 1);
        ConvolutionalLayer.requirePositive(section, "output", outputs);
        Activation activation = context.activation(section, Activation.LOGISTIC);
        boolean batchNormalize = section.getFlag("batch_normalize", false);
        return new ConnectedLayer(context, new ConnectedSpec(context.input(), outputs), activation, batchNormalize,
                LayerOptions.parse(section));
    }

    @Override
    public String kind() {
        return "connected";
    }

    /** Darknet's file order: biases, weights, then [scales, rolling mean, rolling variance]. */
    @Override
    public List<Parameter> parameters() {
        List<Parameter> list = new ArrayList<>();
        list.add(stage().biases());
        list.add(weights);
        list.addAll(stage().batchNormParameters());
        return list;
    }

    @Override
    public long flops() {
        return spec.flops();
    }

    @Override
    public String summary() {
        return String.format("connected                            %4d  ->  %4d", spec.inputs(), spec.outputs());
    }
}
