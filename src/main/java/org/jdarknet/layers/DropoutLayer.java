package org.jdarknet.layers;

import org.jdarknet.backend.Tensor;
import org.jdarknet.cfg.CfgSection;

/**
 * {@code [dropout]}: during training zeroes inputs with {@code probability} and scales the rest by
 * {@code 1/(1-probability)}; at inference it is the identity, and shares the previous layer's
 * output instead of copying it, as darknet does.
 */
public final class DropoutLayer extends AbstractLayer {
    private final float probability;

    private DropoutLayer(BuildContext context, float probability, LayerOptions options) {
        super(context, context.input(), options, context.previous().output());
        this.probability = probability;
    }

    public static DropoutLayer parse(CfgSection section, BuildContext context) {
        if (context.previous() == null) {
            throw section.error("[dropout] cannot be the first layer");
        }
        float probability = section.getFloat("probability", .5f);
        if (!(probability >= 0 && probability < 1)) {
            throw section.error("probability", "must be in [0, 1), found " + probability);
        }
        return new DropoutLayer(context, probability, LayerOptions.parse(section));
    }

    public float probability() {
        return probability;
    }

    @Override
    public String kind() {
        return "dropout";
    }

    @Override
    public void forward(Tensor input) {
        // The identity at inference: the output already is the previous layer's output.
    }

    @Override
    protected boolean ownsOutput() {
        return false;
    }

    @Override
    public String summary() {
        return String.format("dropout       p = %.2f               %4d  ->  %4d",
                probability, inputShape().itemSize(), inputShape().itemSize());
    }
}
