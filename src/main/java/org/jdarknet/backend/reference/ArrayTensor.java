package org.jdarknet.backend.reference;

import org.jdarknet.backend.Shape;
import org.jdarknet.backend.Tensor;

/**
 * A tensor held in a plain Java array in logical NCHW order, or a channel view of one: then item
 * {@code b}'s values are the {@code shape.itemSize()} consecutive values from {@link #start} on,
 * in the parent's array.
 */
public final class ArrayTensor implements Tensor {
    private final Shape shape;
    private final ArrayTensor parent;
    private final int offset;
    private final int itemStride;
    private float[] data;

    public ArrayTensor(Shape shape) {
        this.shape = shape;
        this.parent = null;
        this.offset = 0;
        this.itemStride = shape.itemSize();
        this.data = new float[shape.size()];
    }

    private ArrayTensor(ArrayTensor parent, int channel, int channels) {
        Shape whole = parent.shape;
        this.shape = new Shape(whole.n(), channels, whole.h(), whole.w());
        this.parent = parent;
        this.offset = channel * whole.h() * whole.w();
        this.itemStride = whole.itemSize();
    }

    /** Channels {@code channel .. channel+channels} of every item of {@code parent} (not itself a view). */
    static ArrayTensor channelSlice(ArrayTensor parent, int channel, int channels) {
        Shape whole = parent.shape;
        if (parent.parent != null || channel < 0 || channels <= 0 || channel + channels > whole.c()) {
            throw new IllegalArgumentException("no view of channels " + channel + ".." + (channel + channels) + " of "
                    + parent);
        }
        return new ArrayTensor(parent, channel, channels);
    }

    @Override
    public Shape shape() {
        return shape;
    }

    /**
     * The values, for operations that walk the whole tensor as one array; a view has none of its
     * own (those operations are training ones, which never see views).
     */
    public float[] data() {
        if (parent != null) {
            throw new IllegalArgumentException("a channel view has no array of its own (views are for inference): "
                    + this);
        }
        return values();
    }

    /** The array holding the values, shared with the parent for a view; item {@code b} starts at {@link #start}. */
    float[] values() {
        float[] values = parent != null ? parent.values() : data;
        if (values == null) {
            throw new IllegalStateException("tensor " + shape + " used after close()");
        }
        return values;
    }

    /** Index in {@link #values} of item {@code item}'s first value. */
    int start(int item) {
        return offset + item * itemStride;
    }

    /** Narrows a handle to this class, with a clear message when a tensor of another backend arrives. */
    public static ArrayTensor of(Tensor tensor) {
        if (tensor instanceof ArrayTensor array) {
            return array;
        }
        throw new IllegalArgumentException("tensor of another backend passed to the reference backend: " + tensor);
    }

    /** A view releases nothing: its values belong to the parent. */
    @Override
    public void close() {
        data = null;
    }

    @Override
    public String toString() {
        return parent == null ? "ArrayTensor[" + shape + "]"
                : "ArrayTensor[" + shape + " view from channel " + offset / (shape.h() * shape.w()) + " of " + parent.shape + "]";
    }
}
