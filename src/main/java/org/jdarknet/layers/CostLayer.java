package org.jdarknet.layers;

import java.util.List;
import org.jdarknet.backend.Tensor;
import org.jdarknet.cfg.CfgSection;

/**
 * {@code [cost]}: the training loss against the truth. At inference it computes nothing and its
 * output stays zero, which is why a network's result is the last layer that is not a cost layer.
 */
public final class CostLayer extends AbstractLayer {
    private static final List<String> TYPES = List.of("sse", "masked", "smooth", "L1", "seg", "L2", "wgan");
    private final String type;
    private final float scale;

    private CostLayer(BuildContext context, String type, float scale, LayerOptions options) {
        super(context, context.input(), options);
        this.type = type;
        this.scale = scale;
    }

    public static CostLayer parse(CfgSection section, BuildContext context) {
        String type = section.getString("type", "sse");
        if (!TYPES.contains(type)) {
            throw section.error("type", "unknown cost type '" + type + "'; known: " + String.join(", ", TYPES));
        }
        float scale = section.getFloat("scale", 1);
        section.getFloat("ratio", 0);
        section.getFloat("noobj", 1);
        section.getFloat("thresh", 0);
        return new CostLayer(context, type, scale, LayerOptions.parse(section));
    }

    public String type() {
        return type;
    }

    public float scale() {
        return scale;
    }

    @Override
    public String kind() {
        return "cost";
    }

    @Override
    public void forward(Tensor input) {
        // Inference has no truth to compare with: darknet leaves the output untouched (zero).
    }

    @Override
    public String summary() {
        return String.format("cost                                           %4d", inputShape().itemSize());
    }
}
