package org.jdarknet.layers;

import java.util.List;
import org.jdarknet.Text;
import org.jdarknet.backend.Activation;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.BatchNormStyle;
import org.jdarknet.backend.Epilogue;
import org.jdarknet.backend.Shape;
import org.jdarknet.backend.Tensor;
import org.jdarknet.cfg.CfgOption;
import org.jdarknet.cfg.CfgSection;

/**
 * What a layer needs to know while it is built from its cfg section: where it sits, what it
 * receives, the layers before it, and the backend that will own its tensors.
 *
 * @param input    shape of the previous layer's output (or of the network's input), with the batch
 * @param training whether to allocate what training needs (deltas, gradients, saved values)
 * @param inputRange the calibrated largest |input| a convolution here is quantised with in int8;
 *                 NaN when not calibrated or kept in fp32 ({@code calibration.ConvolutionRanges})
 * @param placement where layers' outputs live ({@link OutputPlacement#NONE}: each its own)
 * @param fusion    which shortcuts convolutions compute ({@link ShortcutFusion#NONE}: none)
 */
public record BuildContext(Backend backend, int index, Shape input, List<Layer> earlier, BatchNormStyle batchNormStyle,
                           boolean training, float inputRange, OutputPlacement placement, ShortcutFusion fusion) {

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

    /** The residual this layer's epilogue ends with: the next layer's shortcut, when fused into this one; else null. */
    public Epilogue.Residual fusedResidual() {
        ShortcutFusion.Fused fused = fusion.into(index);
        return fused == null ? null
                : new Epilogue.Residual(earlier.get(fused.from()).output(), fused.alpha(), fused.beta(), fused.activation());
    }

    /** Whether this layer is a shortcut that the layer before it computes (then they share one output tensor). */
    public boolean fusedIntoPrevious() {
        return index > 0 && fusion.into(index - 1) != null;
    }

    /** A new learned parameter of {@code kind}, with a gradient when training. */
    public Parameter learned(String name, Parameter.Kind kind, Shape shape, Parameter.Transpose transpose) {
        Tensor gradient = training ? backend.allocateParameter(shape) : null;
        return new Parameter(name, backend.allocateParameter(shape), gradient, kind, transpose);
    }

    /** A tensor of per-channel scratch values for training; null at inference. */
    public Tensor trainingVector(int channels) {
        return training ? backend.allocateParameter(Shape.vector(channels)) : null;
    }

    /** A tensor shaped like this layer's output, for values training keeps; null at inference. */
    public Tensor trainingTensor(Shape shape) {
        return training ? backend.allocate(shape) : null;
    }

    /** Reads an activation name; an unknown one is an error (pjreddie silently uses relu instead). */
    public Activation activation(CfgSection section, Activation fallback) {
        CfgOption option = section.option("activation");
        if (option == null) {
            return fallback;
        }
        Activation activation = Activation.byName(option.value());
        if (activation == null) {
            throw section.error("activation", "unknown activation '" + Text.excerpt(option.value()) + "'; known: " + Activation.names());
        }
        return activation;
    }
}
