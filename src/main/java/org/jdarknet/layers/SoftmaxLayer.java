package org.jdarknet.layers;

import org.jdarknet.backend.Tensor;
import org.jdarknet.cfg.CfgSection;

/**
 * {@code [softmax]}: probabilities over each of {@code groups} equal slices of the input,
 * sharpened or flattened by {@code temperature}.
 */
public final class SoftmaxLayer extends AbstractLayer {
    private final int groups;
    private final float temperature;

    private SoftmaxLayer(BuildContext context, int groups, float temperature, LayerOptions options) {
        super(context, context.input(), options);
        this.groups = groups;
        this.temperature = temperature;
    }

    public static SoftmaxLayer parse(CfgSection section, BuildContext context) {
        int groups = section.getInt("groups", 1);
        ConvolutionalLayer.requirePositive(section, "groups", groups);
        if (context.input().itemSize() % groups != 0) {
            throw section.error("groups", groups + " groups do not divide the " + context.input().itemSize() + " inputs");
        }
        float temperature = section.getFloat("temperature", 1);
        if (!(temperature > 0)) {
            throw section.error("temperature", "must be positive");
        }
        if (section.has("tree")) {
            throw section.error("tree", "hierarchical softmax (tree=) is not supported");
        }
        section.getFlag("noloss", false);
        return new SoftmaxLayer(context, groups, temperature, LayerOptions.parse(section));
    }

    @Override
    public String kind() {
        return "softmax";
    }

    @Override
    public void forward(Tensor input) {
        backend.softmax(input, groups, temperature, output());
    }

    @Override
    public String summary() {
        return String.format("softmax                                        %4d", inputShape().itemSize());
    }
}
