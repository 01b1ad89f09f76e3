package org.jdarknet.backend.cpu;

import java.nio.FloatBuffer;
import org.jdarknet.backend.Tensor;

/**
 * A tensor of the CPU backend, of one of its two kinds: an {@link ActivationTensor} (a oneDNN
 * buffer in the backend's activation layout, made by {@code allocate}) or a
 * {@link ParameterTensor} (a Java array in darknet's order, made by {@code allocateParameter}).
 * The operations every tensor supports whatever its kind are methods here, so that the backend
 * passes them on without asking which kind it holds.
 */
abstract sealed class CpuTensor implements Tensor permits ActivationTensor, ParameterTensor {

    /** Narrows a handle to this backend's tensors, with a clear message when another backend's arrives. */
    static CpuTensor of(Tensor tensor) {
        if (tensor instanceof CpuTensor cpu) {
            return cpu;
        }
        throw new IllegalArgumentException("expected a tensor of the cpu backend, got " + tensor);
    }

    /** Copies the values remaining in {@code values} (NCHW order, exactly the shape's size) in. */
    abstract void upload(FloatBuffer values, Kernels kernels);

    /** The values in NCHW order, in a new array. */
    abstract float[] download(Kernels kernels);

    abstract void fill(float value, Kernels kernels);

    /** Copies every value into {@code destination}, a tensor of the same kind and shape. */
    abstract void copyTo(CpuTensor destination, Kernels kernels);

    /** {@code this += alpha * x}, for {@code x} of the same kind and shape. */
    abstract void addScaled(float alpha, CpuTensor x, Kernels kernels);

    abstract void scale(float factor, Kernels kernels);

    /** What activation tensors need for the operations above: the backend's oneDNN passes. */
    record Kernels(Transfers transfers, Accumulate accumulate, EpilogueOp epilogues) {
    }
}
