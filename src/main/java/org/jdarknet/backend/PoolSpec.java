package org.jdarknet.backend;

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

    public PoolSpec withBatch(int batch) {
        return new PoolSpec(input.withBatch(batch), size, stride, padding);
    }
}
