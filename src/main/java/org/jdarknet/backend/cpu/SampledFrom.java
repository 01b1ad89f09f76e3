package org.jdarknet.backend.cpu;

import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.reorder;
import org.jdarknet.backend.Shape;

/**
 * The second operand of darknet's sampled shortcut (a {@code from} of another shape than the
 * output, see {@code ReferenceBackend.shortcut}) as a tensor of the output's layout, so that a
 * convolution can add it as a binary post-op: the channels both have, {@code from} read at every
 * {@code stride}-th cell and written at every {@code sample}-th one, and zeros everywhere else. The
 * zeros are written once, when it is made; each pass copies only the sampled values, with one
 * oneDNN reorder between two strided descriptions. It holds what {@code from} holds: floats, a
 * quantised tensor's bytes in its range, or bf16 values. Only layouts with one channel per block ({@code nchw},
 * {@code nhwc}) have strided descriptions; blocked ones are composed ({@link ComposedResidual}).
 */
final class SampledFrom implements AutoCloseable {
    private final Dnnl dnnl;
    private final ActivationTensor gathered;
    private final memory source;
    private final memory target;
    private final reorder copy;

    SampledFrom(Dnnl dnnl, ActivationTensor from, Layout destination) {
        this.dnnl = dnnl;
        this.gathered = from.quantised() ? ActivationTensor.quantised(destination, from.range(), dnnl)
                : from.rounded() ? ActivationTensor.rounded(destination, dnnl) : new ActivationTensor(destination, dnnl);
        Shape a = from.shape();
        Shape o = destination.shape();
        long[] common = {o.n(), Math.min(a.c(), o.c()), Math.min(a.h(), o.h()), Math.min(a.w(), o.w())};
        try (memory.desc read = strided(from.layout(), common, Math.max(1, a.w() / o.w()), from.storedType());
             memory.desc written = strided(destination, common, Math.max(1, o.w() / a.w()), from.storedType())) {
            this.source = dnnl.wrap(read, from.stored().get_data_handle());
            this.target = dnnl.wrap(written, gathered.stored().get_data_handle());
            this.copy = dnnl.reorder(read, written);
        }
    }

    /** Whether {@code from} can be gathered so into a tensor of {@code destination}: neither side a view or blocked. */
    static boolean supports(ActivationTensor from, Layout destination) {
        return plainStrides(from.layout()) && plainStrides(destination);
    }

    private static boolean plainStrides(Layout layout) {
        return !layout.isView() && layout.block() == 1;
    }

    /** {@code dimensions} of {@code layout}'s buffer, every {@code step}-th row and column. */
    private static memory.desc strided(Layout layout, long[] dimensions, int step, memory.data_type type) {
        int origin = layout.offset(0, 0, 0, 0);
        long[] strides = {layout.plane(1, 0) - origin, layout.plane(0, 1) - origin,
            (long) step * (layout.offset(0, 0, 1, 0) - origin), (long) step * layout.pointStride()};
        return new memory.desc(dimensions, type, strides);
    }

    /** The operand, laid out as the output. */
    ActivationTensor tensor() {
        return gathered;
    }

    /** Copies {@code from}'s sampled values into place, before each pass of the convolution. */
    void gather() {
        dnnl.execute(copy, Arg.src(source), Arg.dst(target));
    }

    @Override
    public void close() {
        copy.close();
        source.close();
        target.close();
        gathered.close();
    }
}
