package org.jdarknet.backend.cpu;

import java.util.HashMap;
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
 * do is asked of oneDNN once per format and number type (views of a bf16 hand-off are read and
 * written by bf16 kernels). In int8 there are no views: a calibrated convolution quantises its
 * input from its own dense layout ({@link Int8Convolution}).
 */
final class ChannelViews {
    private static final Shape PROBE = new Shape(1, 64, 16, 16);
    private final Dnnl dnnl;
    private final Map<Probe, Kernels> kernels = new HashMap<>();

    /** A format and the number type of the tensors in it. */
    private record Probe(Layout.Format format, memory.data_type type) {
    }

    /** oneDNN's implementations of one 3x3 convolution in a format: between dense tensors, and between views. */
    private record Kernels(String dense, String views) {
        boolean denseOptimised() {
            return !dense.startsWith("ref");
        }

        boolean viewsOptimised() {
            return !views.startsWith("ref");
        }
    }

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
        if (whole || wholeBlocks && convolutionsTakeViews(new Probe(layout.format(), parent.storedType()))) {
            return Optional.of(ActivationTensor.view(parent, first, channels));
        }
        return Optional.empty();
    }

    /**
     * Whether this backend offers views of {@code format} tensors that oneDNN convolves with
     * optimised kernels: what a network of many route concatenations gains by.
     */
    boolean optimisedInViews(Layout.Format format) {
        if (dnnl.precision() == Precision.INT8) {
            return false;
        }
        Kernels probed = kernels(new Probe(format, memory.data_type.f32));
        return probed.denseOptimised() && probed.viewsOptimised();
    }

    /**
     * Whether oneDNN convolves from one view into another of a tensor in {@code probe}'s format and
     * type with an optimised kernel wherever it has one for dense tensors.
     */
    private boolean convolutionsTakeViews(Probe probe) {
        Kernels probed = kernels(probe);
        return probed.viewsOptimised() || !probed.denseOptimised();
    }

    private Kernels kernels(Probe probe) {
        return kernels.computeIfAbsent(probe, this::probe);
    }

    private Kernels probe(Probe probe) {
        Layout.Format format = probe.format();
        Layout parent = new Layout(PROBE, format);
        Kernels probed = new Kernels(
                kernel(new Layout(new Shape(1, 32, 16, 16), format), new Layout(new Shape(1, 16, 16, 16), format),
                        probe.type()),
                kernel(parent.channels(16, 32), parent.channels(48, 16), probe.type()));
        if (probed.denseOptimised() && !probed.viewsOptimised()) {
            Log.detail("the cpu backend offers no channel views of " + probe.type() + " in " + format
                    + ": oneDNN would convolve them with " + probed.views() + " (dense: " + probed.dense()
                    + "), so routes copy in " + format);
        }
        return probed;
    }

    /** oneDNN's implementation of a 3x3 convolution from {@code input} to {@code output}, both holding {@code type}. */
    private String kernel(Layout input, Layout output, memory.data_type type) {
        long[] ones = {1, 1};
        try (memory.desc source = input.descriptor(type);
             memory.desc weights = Descriptors.of(type, memory.format_tag.any, output.shape().c(), input.shape().c(), 3, 3);
             memory.desc destination = output.descriptor(type);
             convolution_forward.primitive_desc convolution = new convolution_forward.primitive_desc(dnnl.engine(),
                     prop_kind.forward_inference, algorithm.convolution_direct, source, weights, destination, ones, ones,
                     ones)) {
            return convolution.impl_info_str().getString();
        }
    }
}
