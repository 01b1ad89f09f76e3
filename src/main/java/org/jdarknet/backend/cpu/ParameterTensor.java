package org.jdarknet.backend.cpu;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.jdarknet.backend.Shape;
import org.jdarknet.backend.Tensor;

/**
 * A learned tensor (weights, biases, batch-norm values) of the CPU backend, in plain NCHW order in
 * a Java array. Every change of its values raises its {@link #version}, which is how operations
 * that keep a derived copy (reordered or folded weights) notice that they must rebuild it. Those
 * copies can hang here ({@link #derived}) so that they are released together with the tensor.
 */
final class ParameterTensor implements Tensor {
    private final Shape shape;
    private float[] values;
    private long version;
    private final Map<Object, Derived> derived = new HashMap<>();

    ParameterTensor(Shape shape) {
        this.shape = shape;
        this.values = new float[shape.size()];
    }

    static ParameterTensor of(Tensor tensor) {
        if (tensor instanceof ParameterTensor parameter) {
            return parameter;
        }
        throw new IllegalArgumentException("expected a parameter tensor of the cpu backend, got " + tensor);
    }

    @Override
    public Shape shape() {
        return shape;
    }

    /** The values; whoever writes them must call {@link #changed()} afterwards. */
    float[] values() {
        if (values == null) {
            throw new IllegalStateException("tensor " + shape + " used after close()");
        }
        return values;
    }

    void changed() {
        version++;
    }

    void set(FloatBuffer newValues) {
        Transfers.requireSize(newValues.remaining(), shape);
        newValues.get(values());
        changed();
    }

    void fill(float value) {
        Arrays.fill(values(), value);
        changed();
    }

    /** {@code this += alpha * x}, value by value as the reference backend computes it. */
    void add(float alpha, ParameterTensor x) {
        float[] from = x.values();
        float[] to = values();
        if (from.length != to.length) {
            throw new IllegalArgumentException("cannot add a " + x.shape + " tensor to a " + shape + " one");
        }
        for (int i = 0; i < to.length; i++) {
            to[i] += alpha * from[i];
        }
        changed();
    }

    void scale(float factor) {
        float[] to = values();
        for (int i = 0; i < to.length; i++) {
            to[i] *= factor;
        }
        changed();
    }

    long version() {
        return version;
    }

    /** Something computed from a parameter tensor that holds native memory. */
    interface Derived extends AutoCloseable {
        @Override
        void close();
    }

    /** The value derived from this tensor under {@code key}, created on first use. */
    <T extends Derived> T derived(Object key, Supplier<T> create) {
        @SuppressWarnings("unchecked")
        T value = (T) derived.computeIfAbsent(key, k -> create.get());
        return value;
    }

    @Override
    public void close() {
        values = null;
        derived.values().forEach(Derived::close);
        derived.clear();
    }

    @Override
    public String toString() {
        return "ParameterTensor[" + shape + "]";
    }
}
