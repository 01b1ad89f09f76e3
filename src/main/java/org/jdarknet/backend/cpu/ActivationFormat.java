package org.jdarknet.backend.cpu;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive_attr;
import org.jdarknet.backend.Activation;
import org.jdarknet.backend.Precision;
import org.jdarknet.backend.Shape;

/**
 * The layout activations are kept in unless a network is better off in another ({@link NetworkLayout}):
 * the one oneDNN itself prefers for a typical darknet layer (a 3×3 convolution, 64 channels to 64),
 * which is where its fastest kernels read and write.
 * With AVX-512 that is channels-last ({@code nhwc}, faster per network than {@code nChw16c} as
 * measured in docs/benchmarks.md). An int8 backend asks about an int8 convolution: oneDNN's AVX2
 * int8 kernels write channels-last only (for a blocked output it would run its reference loops).
 *
 * <p>The answer depends on the CPU and the precision only, so it is asked once per process and
 * precision. Asking is the first primitive descriptor a process creates, which makes oneDNN set
 * itself up: {@link Natives} asks for fp32 on its loader thread, off a one-image run's critical path.
 */
final class ActivationFormat {
    private static final Shape TYPICAL = new Shape(1, 64, 32, 32);
    private static final Layout.Format[] KNOWN = {
        Layout.Format.CHANNELS_LAST, Layout.Format.BLOCKED_16, Layout.Format.BLOCKED_8};
    /** Computed once per precision; a second thread asking meanwhile waits for the first's answer. */
    private static final Map<Precision, Layout.Format> PREFERRED = new ConcurrentHashMap<>();

    private ActivationFormat() {
    }

    /**
     * oneDNN's preference for a convolution computing in {@code precision}, or {@code nChw8c} (fast
     * on every x86 CPU oneDNN supports) if it is none we handle. The natives must be loaded.
     */
    static Layout.Format preferred(Precision precision) {
        return PREFERRED.computeIfAbsent(precision, ActivationFormat::ask);
    }

    private static Layout.Format ask(Precision precision) {
        try (engine engine = new engine(org.bytedeco.dnnl.engine.kind.cpu, 0)) {
            return ask(engine, precision);
        }
    }

    private static Layout.Format ask(engine engine, Precision precision) {
        long[] strides = {1, 1};
        long[] padding = {1, 1};
        long[] dimensions = {TYPICAL.n(), TYPICAL.c(), TYPICAL.h(), TYPICAL.w()};
        boolean int8 = precision == Precision.INT8;
        try (memory.desc source = int8 ? Descriptors.int8(memory.format_tag.any, dimensions)
                : Descriptors.any(dimensions);
             memory.desc weights = int8 ? Descriptors.int8(memory.format_tag.any, TYPICAL.c(), TYPICAL.c(), 3, 3)
                     : Descriptors.any(TYPICAL.c(), TYPICAL.c(), 3, 3);
             memory.desc destination = Descriptors.any(dimensions);
             memory.desc bias = Descriptors.of(memory.format_tag.x, TYPICAL.c());
             primitive_attr attributes = int8 ? Int8Convolution.attributes(Activation.LINEAR, null, 1) : new primitive_attr();
             convolution_forward.primitive_desc convolution = new convolution_forward.primitive_desc(engine,
                     prop_kind.forward_inference, algorithm.convolution_direct, source, weights, bias, destination,
                     strides, padding, padding, attributes, false);
             memory.desc chosen = convolution.dst_desc()) {
            for (Layout.Format format : KNOWN) {
                try (memory.desc candidate = Descriptors.of(TYPICAL, format.tag())) {
                    if (chosen.equals(candidate)) {
                        return format;
                    }
                }
            }
        }
        return Layout.Format.BLOCKED_8;
    }
}
