package org.jdarknet.backend.cpu;

import org.bytedeco.dnnl.memory;
import org.jdarknet.backend.Shape;

/**
 * oneDNN memory descriptors for float tensors (and, for int8 and bf16 convolutions, signed byte and
 * bf16 ones), built from darknet's shapes.
 */
final class Descriptors {

    private Descriptors() {
    }

    /** A batch × channels × height × width tensor in the format {@code tag}. */
    static memory.desc of(Shape shape, memory.format_tag tag) {
        return of(tag, dimensions(shape));
    }

    /** oneDNN's dimensions of {@code shape}: batch, channels, height, width. */
    static long[] dimensions(Shape shape) {
        return new long[] {shape.n(), shape.c(), shape.h(), shape.w()};
    }

    /** A tensor of the given dimensions in the format {@code tag}. */
    static memory.desc of(memory.format_tag tag, long... dims) {
        return of(memory.data_type.f32, tag, dims);
    }

    /** A tensor of {@code type} values, of the given dimensions in the format {@code tag}. */
    static memory.desc of(memory.data_type type, memory.format_tag tag, long... dims) {
        return new memory.desc(dims, type, tag);
    }

    /** A signed byte tensor of the given dimensions in the format {@code tag}. */
    static memory.desc int8(memory.format_tag tag, long... dims) {
        return of(memory.data_type.s8, tag, dims);
    }

    /** A bf16 tensor of the given dimensions in the format {@code tag}. */
    static memory.desc bf16(memory.format_tag tag, long... dims) {
        return of(memory.data_type.bf16, tag, dims);
    }

    /** A tensor of the given dimensions whose format the primitive chooses. */
    static memory.desc any(long... dims) {
        return of(memory.format_tag.any, dims);
    }

    /** One value per channel, broadcast over batch, height and width by binary primitives. */
    static memory.desc perChannel(int channels) {
        return of(memory.format_tag.nchw, 1, channels, 1, 1);
    }
}
