package org.jdarknet.backend.cuda;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.jdarknet.backend.Shape;
import org.jdarknet.backend.Tensor;

/** A tensor in GPU memory, dense NCHW floats, allocated once when the tensor is created. */
final class DeviceTensor implements Tensor {
    private final Shape shape;
    private final CudaBackend owner;
    private Pointer memory;
    private final FloatPointer floats;

    DeviceTensor(Shape shape, CudaBackend owner, Pointer memory) {
        this.shape = shape;
        this.owner = owner;
        this.memory = memory;
        this.floats = new FloatPointer(memory);
    }

    /** Narrows a handle to this class, with a clear message when a tensor of another backend arrives. */
    static DeviceTensor of(Tensor tensor) {
        if (tensor instanceof DeviceTensor device) {
            return device;
        }
        throw new IllegalArgumentException("tensor of another backend passed to the cuda backend: " + tensor);
    }

    @Override
    public Shape shape() {
        return shape;
    }

    long bytes() {
        return (long) shape.size() * Float.BYTES;
    }

    /** The device address of the first value. */
    long address() {
        return memory().address();
    }

    /** The memory as JavaCPP passes it to cuDNN and cuBLAS; callers must not move its position. */
    FloatPointer floats() {
        memory();
        return floats;
    }

    Pointer memory() {
        if (memory == null) {
            throw new IllegalStateException("tensor " + shape + " used after close()");
        }
        return memory;
    }

    @Override
    public void close() {
        if (memory != null) {
            owner.release(this);
            memory = null;
        }
    }

    @Override
    public String toString() {
        return "DeviceTensor[" + shape + "]";
    }
}
