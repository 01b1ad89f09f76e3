package org.jdarknet.backend.cpu;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.memory;
import org.jdarknet.Log;
import org.jdarknet.backend.Precision;
import org.jdarknet.backend.Shape;

/**
 * {@code Backend.channelSlice} for the cpu backend: which slices it offers as views. A view is a
 * oneDNN sub-memory of its parent, which oneDNN can describe in a blocked layout only for whole
 * channel blocks, so a slice must start and end on a block boundary (or be the whole tensor). And
 * a view is worth having only where oneDNN's optimised convolutions read and write it: in a
 * format where they do not (this CPU's kernels may require dense channels), it would turn every
 * convolution touching a route into a reference loop, slower than the copy it saves. Whether they
 * do is asked of oneDNN once per format. In int8 there are no views: a calibrated convolution
 * quantises its input from its own dense layout ({@link Int8Convolution}).
 */
final class ChannelViews {
    private static final Shape PROBE = new Shape(1, 64, 16, 16);
    private final Dnnl dnnl;
    private final Map<Layout.Format, Boolean> optimised = new EnumMap<>(Layout.Format.class);

    ChannelViews(Dnnl dnnl) {
        this.dnnl = dnnl;
    }

    Optional<ActivationTensor> slice(ActivationTensor parent, int first, int channels) {
        if (dnnl.precision() == Precision.INT8) {
            return Optional.empty();
        }
        Layout layout = parent.layout();
        boolean whole = first == 0 && channels == layout.shape().c();
        boolean wholeBlocks = first % layout.block() == 0 && channels % layout.block() == 0;
        if (whole || wholeBlocks && optimised.computeIfAbsent(layout.format(), this::convolutionsTakeViews)) {
            return Optional.of(ActivationTensor.view(parent, first, channels));
        }
        return Optional.empty();
    }

    /**
     * Whether oneDNN convolves from one view into another of a {@code format} tensor with an
     * optimised kernel wherever it has one for dense tensors.
     */
    private boolean convolutionsTakeViews(Layout.Format format) {
        Layout parent = new Layout(PROBE, format);
        String dense = kernel(new Layout(new Shape(1, 32, 16, 16), format), new Layout(new Shape(1, 16, 16, 16), format));
        String views = kernel(parent.channels(16, 32), parent.channels(48, 16));
        boolean taken = !views.startsWith("ref") || dense.startsWith("ref");
        if (!taken) {
            Log.detail("the cpu backend offers no channel views in " + format + ": oneDNN would convolve them with "
                    + views + " (dense: " + dense + "), so routes copy");
        }
        return taken;
    }

    /** oneDNN's implementation of a 3x3 convolution from {@code input} to {@code output}. */
    private String kernel(Layout input, Layout output) {
        long[] ones = {1, 1};
        try (memory.desc source = input.descriptor();
             memory.desc weights = Descriptors.any(output.shape().c(), input.shape().c(), 3, 3);
             memory.desc destination = output.descriptor();
             convolution_forward.primitive_desc convolution = new convolution_forward.primitive_desc(dnnl.engine(),
                     prop_kind.forward_inference, algorithm.convolution_direct, source, weights, destination, ones, ones,
                     ones)) {
            return convolution.impl_info_str().getString();
        }
    }
}
