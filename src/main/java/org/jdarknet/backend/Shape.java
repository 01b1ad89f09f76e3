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

    @Override
    public String toString() {
        return n + "x" + c + "x" + h + "x" + w;
    }
}
