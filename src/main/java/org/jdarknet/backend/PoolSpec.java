package org.jdarknet.backend;

import java.util.Objects;

/**
 * Darknet's max-pooling window: {@code size}×{@code size} every {@code stride} cells, the first
 * window starting {@code padding/2} cells before the image, cells outside the image ignored.
 * {@code out = (in + padding - size)/stride + 1}.
 */
public record PoolSpec(Shape input, int size, int stride, int padding) {

    public PoolSpec {
        if (size < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException("invalid pooling: size=" + size + " stride=" + stride + " padding=" + padding);
        }
    }

    public int outputHeight() {
        return (input.h() + padding - size) / stride + 1;
    }

    public int outputWidth() {
        return (input.w() + padding - size) / stride + 1;
    }

    public Shape output() {
        return new Shape(input.n(), input.c(), outputHeight(), outputWidth());
    }

    /** Offset of the first window relative to the image, in cells (zero or negative). */
    public int offset() {
        return -(padding / 2);
    }

    /**
     * Cells after the image that the last windows down ({@code height}) or across reach to give
     * darknet's output size; negative where the image's last cells are never read.
     */
    public int paddingAfter(boolean height) {
        int in = height ? input.h() : input.w();
        int out = height ? outputHeight() : outputWidth();
        return (out - 1) * stride + size - in + offset();
    }

    /**
     * Whether every window holds at least one cell of the image. Where one holds none darknet gives
     * {@code -FLT_MAX}, which a pooling library ignoring the cells outside cannot.
     */
    public boolean everyWindowInImage() {
        return -offset() < size && paddingAfter(true) < size && paddingAfter(false) < size;
    }

    public PoolSpec withBatch(int batch) {
        return new PoolSpec(input.withBatch(batch), size, stride, padding);
    }

    // Written out, not generated: see Shape#equals.
    @Override
    public boolean equals(Object other) {
        return other instanceof PoolSpec spec && input.equals(spec.input) && size == spec.size && stride == spec.stride
                && padding == spec.padding;
    }

    @Override
    public int hashCode() {
        return Objects.hash(input, size, stride, padding);
    }
}
