package org.jdarknet.backend;

/**
 * The extent of an activation tensor in darknet's order: batch, channels, height, width. Darknet
 * stores every image as planar CHW floats, so a flat index is {@code ((n*c + k)*h + y)*w + x}.
 * Parameter tensors reuse the same four numbers (a convolution's weights are
 * filters × channels/groups × size × size).
 */
public record Shape(int n, int c, int h, int w) {

    public Shape {
        if (n < 1 || c < 1 || h < 1 || w < 1) {
            throw new IllegalArgumentException("every dimension must be positive: " + n + "x" + c + "x" + h + "x" + w);
        }
    }

    /** A vector of {@code length} values, e.g. the biases of a layer. */
    public static Shape vector(int length) {
        return new Shape(1, length, 1, 1);
    }

    /** Values in one batch item: {@code c*h*w}. */
    public int itemSize() {
        return c * h * w;
    }

    /** All values: {@code n*c*h*w}. */
    public int size() {
        return Math.multiplyExact(n, itemSize());
    }

    public Shape withBatch(int batch) {
        return new Shape(batch, c, h, w);
    }

    /**
     * Written out, as in every record that the first forward pass compares or looks up: a record's
     * generated {@code equals} and {@code hashCode} are linked through {@code invokedynamic} on
     * their first call, a few milliseconds of method-handle spinning per record class, which was
     * half of a one-image {@code classify}'s first pass (docs/benchmarks.md).
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof Shape shape && n == shape.n && c == shape.c && h == shape.h && w == shape.w;
    }

    @Override
    public int hashCode() {
        return ((n * 31 + c) * 31 + h) * 31 + w;
    }

    @Override
    public String toString() {
        return n + "x" + c + "x" + h + "x" + w;
    }
}
