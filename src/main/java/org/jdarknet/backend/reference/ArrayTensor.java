package org.jdarknet.backend.reference;

import org.jdarknet.backend.Shape;
import org.jdarknet.backend.Tensor;

/** A tensor held in a plain Java array in logical NCHW order. */
public final class ArrayTensor implements Tensor {
    private final Shape shape;
    private float[] data;

    public ArrayTensor(Shape shape) {
        this.shape = shape;
        this.data = new float[shape.size()];
    }

    @Override
    public Shape shape() {
        return shape;
    }

    /** The values; only the reference backend and its tests touch them directly. */
    public float[] data() {
        if (data == null) {
            throw new IllegalStateException("tensor " + shape + " used after close()");
        }
        return data;
    }

    /** Narrows a handle to this class, with a clear message when a tensor of another backend arrives. */
    public static ArrayTensor of(Tensor tensor) {
        if (tensor instanceof ArrayTensor array) {
            return array;
        }
        throw new IllegalArgumentException("tensor of another backend passed to the reference backend: " + tensor);
    }

    @Override
    public void close() {
        data = null;
    }

    @Override
    public String toString() {
        return "ArrayTensor[" + shape + "]";
    }
}
