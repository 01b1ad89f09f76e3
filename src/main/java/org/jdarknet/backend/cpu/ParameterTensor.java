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
 * a Java array. Operations that keep a derived copy (reordered or folded weights) notice changes
 * through its {@link #version}. The array is reachable only for reading ({@link #read}) or through
 * {@link #write}, which raises the version when the writer is done: a change cannot go unnoticed.
 * Derived copies can hang here ({@link #derived}) so that they are released with the tensor.
 */
final class ParameterTensor extends CpuTensor {
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
        throw new IllegalArgumentException("expected a parameter tensor of the cpu backend (from allocateParameter), got "
                + tensor);
    }

    @Override
    public Shape shape() {
        return shape;
    }

    /** Changes the values in place. */
    @FunctionalInterface
    interface Writer {
        void write(float[] values);
    }

    /** Changes several tensors' values in one pass, in the order the tensors were given. */
    @FunctionalInterface
    interface MultiWriter {
        void write(float[][] values);
    }

    /** A read-only view of the values. */
    FloatBuffer read() {
        return FloatBuffer.wrap(values()).asReadOnlyBuffer();
    }

    /** Lets {@code writer} change the values, then marks the tensor changed. */
    void write(Writer writer) {
        try {
            writer.write(values());
        } finally {
            version++;
        }
    }

    /** Lets {@code writer} change the values of all {@code tensors}, then marks each of them changed. */
    static void write(MultiWriter writer, ParameterTensor... tensors) {
        float[][] arrays = new float[tensors.length][];
        for (int i = 0; i < tensors.length; i++) {
            arrays[i] = tensors[i].values();
        }
        try {
            writer.write(arrays);
        } finally {
            for (ParameterTensor tensor : tensors) {
                tensor.version++;
            }
        }
    }

    private float[] values() {
        if (values == null) {
            throw new IllegalStateException("tensor " + shape + " used after close()");
        }
        return values;
    }

    /** How many times the values have been changed; derived copies compare it with the one they were made from. */
    long version() {
        return version;
    }

    @Override
    void upload(FloatBuffer newValues, Kernels kernels) {
        Transfers.requireSize(newValues.remaining(), shape);
        write(to -> newValues.get(to));
    }

    @Override
    float[] download(Kernels kernels) {
        return values().clone();
    }

    @Override
    void fill(float value, Kernels kernels) {
        write(to -> Arrays.fill(to, value));
    }

    @Override
    void copyTo(CpuTensor destination, Kernels kernels) {
        float[] from = values();
        ParameterTensor target = of(destination);
        requireSameShape(target);
        target.write(to -> System.arraycopy(from, 0, to, 0, from.length));
    }

    /** Value by value, as the reference backend computes it. */
    @Override
    void addScaled(float alpha, CpuTensor x, Kernels kernels) {
        ParameterTensor source = of(x);
        requireSameShape(source);
        float[] from = source.values();
        write(to -> {
            for (int i = 0; i < to.length; i++) {
                to[i] += alpha * from[i];
            }
        });
    }

    @Override
    void scale(float factor, Kernels kernels) {
        write(to -> {
            for (int i = 0; i < to.length; i++) {
                to[i] *= factor;
            }
        });
    }

    private void requireSameShape(ParameterTensor other) {
        if (other.shape.size() != shape.size()) {
            throw new IllegalArgumentException("expected parameter tensors of one size, got " + other.shape + " and "
                    + shape);
        }
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
