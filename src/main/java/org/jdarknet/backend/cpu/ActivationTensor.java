package org.jdarknet.backend.cpu;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.memory.data_type;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.jdarknet.backend.Quantization;
import org.jdarknet.backend.Shape;
import org.jdarknet.backend.Tensor;

/**
 * An activation tensor of the CPU backend: a oneDNN buffer in the backend's {@link Layout}, with a
 * Java view of its floats for the few passes done in Java. A channel view has no buffer of its
 * own: its memory describes its channels of the parent's buffer, and its floats are the parent's.
 *
 * <p>Most tensors hold floats. Two kinds of hand-off between convolutions hold their values
 * narrower, as the convolutions reading them would round them anyway: {@link #quantised} tensors
 * hold signed bytes for int8 convolutions, {@link #rounded} ones bf16 values for bf16
 * convolutions. Only the primitives made for them write and read them ({@link #stored}); they have
 * no floats for Java passes.
 */
final class ActivationTensor extends CpuTensor {
    private final Layout layout;
    private final ActivationTensor parent;
    private memory memory;
    /** The buffer's floats; null for a tensor stored narrower. */
    private final FloatBuffer values;
    /** What the buffer holds: f32, s8 ({@link #quantised}) or bf16 ({@link #rounded}). */
    private final data_type type;
    /** NaN but for a quantised tensor: the range whose steps its signed bytes hold. */
    private final float range;

    ActivationTensor(Layout layout, Dnnl dnnl) {
        this.layout = layout;
        this.parent = null;
        this.memory = dnnl.allocate(layout.descriptor());
        this.values = new FloatPointer(memory.get_data_handle()).capacity(layout.bufferSize()).asBuffer();
        this.type = data_type.f32;
        this.range = Float.NaN;
    }

    private ActivationTensor(ActivationTensor parent, Layout layout) {
        this.layout = layout;
        this.parent = parent;
        this.type = parent.type;
        memory whole = parent.stored();
        this.memory = new memory(layout.descriptor(type), whole.get_engine(), whole.get_data_handle());
        this.values = parent.values;
        this.range = parent.range;
    }

    private ActivationTensor(Layout layout, data_type type, float range, Dnnl dnnl) {
        this.layout = layout;
        this.parent = null;
        this.type = type;
        this.memory = dnnl.allocate(layout.descriptor(type));
        this.values = null;
        this.range = range;
    }

    /**
     * A tensor holding its values as signed bytes, steps of {@code range}'s activation scale, in
     * {@code layout}'s order ({@code Backend.allocateQuantised}): written and read only by int8
     * convolutions, which take it as their quantised output or input ({@link #stored}), by
     * max-pools and route copies ({@link ChannelCopy}), and downloaded.
     */
    static ActivationTensor quantised(Layout layout, float range, Dnnl dnnl) {
        if (!narrowable(layout)) {
            throw new IllegalArgumentException("no quantised tensor in " + layout);
        }
        return new ActivationTensor(layout, data_type.s8, range, dnnl);
    }

    /**
     * A tensor holding its values in bf16, in {@code layout}'s order ({@code Backend.allocateRounded}):
     * written by bf16 convolutions and max-pools, which round what they store to nearest, ties to
     * even, read by bf16 convolutions and max-pools, viewed in channel ranges, and downloaded.
     */
    static ActivationTensor rounded(Layout layout, Dnnl dnnl) {
        if (!narrowable(layout)) {
            throw new IllegalArgumentException("no bf16 tensor in " + layout);
        }
        return new ActivationTensor(layout, data_type.bf16, Float.NaN, dnnl);
    }

    /** Whether a tensor of {@code layout} may be stored narrower: a tensor of its own, with no padding lanes to keep zero. */
    static boolean narrowable(Layout layout) {
        return !layout.isView() && layout.paddedChannels() == layout.shape().c();
    }

    /** {@code layout}'s dimensions and order, as signed bytes. */
    static memory.desc integerDescriptor(Layout layout) {
        return layout.descriptor(data_type.s8);
    }

    /** oneDNN's description of {@link #stored}: the layout, of floats or of what the tensor holds instead. */
    memory.desc storedDescriptor() {
        return layout.descriptor(type);
    }

    /** What the buffer holds: f32, s8 or bf16. */
    data_type storedType() {
        return type;
    }

    /** Whether this holds signed bytes for the next int8 convolution rather than floats. */
    boolean quantised() {
        return type == data_type.s8;
    }

    /** Whether this holds bf16 values for bf16 convolutions and max-pools rather than floats. */
    boolean rounded() {
        return type == data_type.bf16;
    }

    /** The largest |value| a quantised tensor's bytes step through; NaN for other tensors. */
    float range() {
        return range;
    }

    /** A scale as a reorder reads it: one float in a memory of its own. */
    private record Scale(float value) {
        // Written out, not generated: see Shape#equals.
        @Override
        public boolean equals(Object other) {
            return other instanceof Scale scale && Float.compare(value, scale.value) == 0;
        }

        @Override
        public int hashCode() {
            return Float.hashCode(value);
        }
    }

    /** A quantised tensor's scale, and 1 for floats, as a reorder reads it (kept by {@code dnnl} per value). */
    memory scale(Dnnl dnnl) {
        float value = quantised() ? Quantization.activationScale(range) : 1;
        return dnnl.cached(new Scale(value), () -> dnnl.scalar(value));
    }

    /**
     * Channels {@code first .. first+channels} of {@code parent} (not itself a view), sharing its
     * buffer; in a blocked layout they must be whole blocks, as oneDNN's sub-memories are.
     */
    static ActivationTensor view(ActivationTensor parent, int first, int channels) {
        boolean whole = first == 0 && channels == parent.shape().c();
        int block = parent.layout.block();
        if (parent.parent != null || first < 0 || channels <= 0 || first + channels > parent.shape().c()
                || !whole && (first % block != 0 || channels % block != 0)) {
            throw new IllegalArgumentException("no view of channels " + first + ".." + (first + channels) + " of " + parent);
        }
        return new ActivationTensor(parent, parent.layout.channels(first, channels));
    }

    boolean isView() {
        return parent != null;
    }

    /** Narrows a handle to this class, with a clear message when a tensor of another kind arrives. */
    static ActivationTensor of(Tensor tensor) {
        if (tensor instanceof ActivationTensor activation) {
            return activation;
        }
        throw new IllegalArgumentException("expected an activation tensor of the cpu backend, got " + tensor);
    }

    /**
     * Narrows {@code tensor} as {@link #of} does, and checks that it holds the values of a tensor of
     * {@code expected}: in that layout, or a view of the same shape and format (for primitives made per layout).
     */
    static ActivationTensor requireValues(Tensor tensor, Layout expected, String role) {
        ActivationTensor activation = of(tensor);
        if (!activation.layout().sameValues(expected)) {
            throw new IllegalArgumentException(role + " is " + activation.layout() + ", expected " + expected);
        }
        return activation;
    }

    /** Narrows {@code tensor} as {@link #of} does, and checks that it has the layout a prepared primitive was made for. */
    static ActivationTensor requireLayout(Tensor tensor, Layout expected, String role) {
        ActivationTensor activation = of(tensor);
        if (!activation.layout().equals(expected)) {
            throw new IllegalArgumentException(role + " is " + activation.layout() + ", expected " + expected);
        }
        return activation;
    }

    /** The layout of {@code a}, which {@code b} must share (passes walking both buffers in step need that). */
    static Layout sharedLayout(ActivationTensor a, ActivationTensor b) {
        if (!a.layout.equals(b.layout)) {
            throw new IllegalArgumentException("expected tensors of one layout, got " + a.layout + " and " + b.layout);
        }
        return a.layout;
    }

    @Override
    public Shape shape() {
        return layout.shape();
    }

    Layout layout() {
        return layout;
    }

    /** The buffer of floats; a tensor stored narrower has none, as only the primitives made for it may use it. */
    memory memory() {
        if (quantised()) {
            throw new IllegalStateException("tensor " + layout.shape() + " holds 8-bit integers that only the int8"
                    + " convolutions, max-pools and route copies writing and reading it may use");
        }
        if (rounded()) {
            throw new IllegalStateException("tensor " + layout.shape() + " holds bf16 values that only the bf16"
                    + " convolutions and max-pools writing and reading it may use");
        }
        return stored();
    }

    /** The buffer, of floats or of what the tensor holds instead ({@link #storedType}). */
    memory stored() {
        if (memory == null || parent != null && parent.memory == null) {
            throw new IllegalStateException("tensor " + layout.shape() + " used after close()");
        }
        return memory;
    }

    /** The whole buffer, padding included, indexed as {@link Layout#offset} says. */
    FloatBuffer values() {
        memory();
        return values;
    }

    /** A quantised tensor's values in darknet's NCHW order: each byte times the scale. */
    float[] dequantised() {
        Shape shape = layout.shape();
        ByteBuffer bytes = new BytePointer(stored().get_data_handle()).capacity(layout.bufferSize()).asBuffer();
        float scale = Quantization.activationScale(range);
        float[] values = new float[shape.size()];
        int points = shape.h() * shape.w();
        int next = 0;
        for (int n = 0; n < shape.n(); n++) {
            for (int c = 0; c < shape.c(); c++) {
                for (int i = 0, at = layout.plane(n, c); i < points; i++, at += layout.pointStride()) {
                    values[next++] = bytes.get(at) * scale;
                }
            }
        }
        return values;
    }

    @Override
    void upload(FloatBuffer values, Kernels kernels) {
        kernels.transfers().upload(values, this);
    }

    @Override
    float[] download(Kernels kernels) {
        return quantised() ? dequantised() : kernels.transfers().download(this);
    }

    @Override
    void fill(float value, Kernels kernels) {
        kernels.transfers().fill(this, value);
    }

    @Override
    void copyTo(CpuTensor destination, Kernels kernels) {
        kernels.transfers().copy(this, of(destination));
    }

    /** As one oneDNN sum. */
    @Override
    void addScaled(float alpha, CpuTensor x, Kernels kernels) {
        kernels.accumulate().apply(of(x), 1, alpha, this);
    }

    @Override
    void scale(float factor, Kernels kernels) {
        kernels.epilogues().eltwise(new EltwiseSteps.Step(algorithm.eltwise_linear, factor, 0), this);
    }

    @Override
    public void close() {
        if (memory != null) {
            memory.close();
            memory = null;
        }
    }

    @Override
    public String toString() {
        return "ActivationTensor[" + layout.shape() + " " + layout.format() + (type == data_type.f32 ? "" : " " + type)
                + (parent == null ? "" : " view from channel " + layout.firstChannel() + " of " + parent.shape()) + "]";
    }
}
