package org.jdarknet.layers;

import java.util.List;
import org.jdarknet.backend.Activation;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.BatchNormStyle;
import org.jdarknet.backend.Shape;
import org.jdarknet.cfg.CfgOption;
import org.jdarknet.cfg.CfgSection;

/**
 * What a layer needs to know while it is built from its cfg section: where it sits, what it
 * receives, the layers before it, and the backend that will own its tensors.
 *
 * @param input  shape of the previous layer's output (or of the network's input), with the batch
 */
public record BuildContext(Backend backend, int index, Shape input, List<Layer> earlier, BatchNormStyle batchNormStyle) {

    /** The layer before this one; null for the first layer. */
    public Layer previous() {
        return earlier.isEmpty() ? null : earlier.get(earlier.size() - 1);
    }

    /**
     * Resolves a layer reference as darknet does: negative values count back from this layer,
     * others are absolute indexes. It must name an earlier layer.
     */
    public Layer reference(CfgSection section, String key, int value) {
        int absolute = value < 0 ? index + value : value;
        if (absolute < 0 || absolute >= index) {
            throw section.error(key, "refers to layer " + absolute + " (from " + value + "), but only layers 0.."
                    + (index - 1) + " come before layer " + index);
        }
        return earlier.get(absolute);
    }

    /** Reads an activation name; an unknown one is an error (pjreddie silently uses relu instead). */
    public Activation activation(CfgSection section, Activation fallback) {
        CfgOption option = section.option("activation");
        if (option == null) {
            return fallback;
        }
        Activation activation = Activation.byName(option.value());
        if (activation == null) {
            throw section.error("activation", "unknown activation '" + option.value() + "'; known: " + Activation.names());
        }
        return activation;
    }
}
