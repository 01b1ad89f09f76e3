package org.jdarknet.backend.cuda;

import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * One GPU as the backend uses it: made current once, one stream that every copy, kernel, cuDNN
 * and cuBLAS call is queued on (so their order is the program's order and nothing else needs
 * synchronising), and device memory whose allocation failures say how much was wanted.
 */
final class Gpu implements AutoCloseable {
    private final int ordinal;
    private final String name;
    private final CUstream_st stream = new CUstream_st();
    /**
     * The GPU each thread last made current: another GPU's calls (one thread drives every replica
     * of {@code -gpus}), NCCL or a new thread must make theirs current again.
     */
    private static final ThreadLocal<Integer> CURRENT = new ThreadLocal<>();
    private Runnable beforeFree = () -> {
    };

    Gpu(int ordinal) {
        this.ordinal = ordinal;
        bind();
        Check.cuda(cudart.cudaFree(null), "cudaFree(NULL)", "creating GPU " + ordinal + "'s context");
        Check.cuda(cudart.cudaStreamCreateWithFlags(stream, cudart.cudaStreamNonBlocking), "cudaStreamCreateWithFlags", null);
        this.name = deviceName(ordinal);
    }

    /**
     * Makes this GPU (its primary context) current on the calling thread, as the runtime and driver
     * calls that follow need; a no-op when it already is. Layers run on one thread, but a
     * checkpoint on Ctrl-C, say, downloads the weights from another, and replicas on several GPUs
     * take turns on one thread.
     */
    void bind() {
        Integer current = CURRENT.get();
        if (current == null || current != ordinal) {
            Check.cuda(cudart.cudaSetDevice(ordinal), "cudaSetDevice(" + ordinal + ")", null);
            CURRENT.set(ordinal);
        }
    }

    /** After a library that may change the current GPU itself (NCCL): the next {@link #bind()} sets it. */
    static void forgetCurrent() {
        CURRENT.remove();
    }

    int ordinal() {
        return ordinal;
    }

    /** The device's marketing name, e.g. {@code NVIDIA H200}. */
    String name() {
        return name;
    }

    CUstream_st stream() {
        return stream;
    }

    /**
     * {@code bytes} of device memory, not initialised.
     *
     * @param purpose what it is for, named in the error when there is not enough
     */
    Pointer allocate(long bytes, String purpose) {
        bind();
        try (PointerPointer<Pointer> address = new PointerPointer<>(1)) {
            int status = cudart.cudaMalloc(address, bytes);
            if (status == cudart.cudaErrorMemoryAllocation) {
                cudart.cudaGetLastError(); // reset the last error, so later checks see only their own
                throw new CudaException(outOfMemory(bytes, purpose), true);
            }
            Check.cuda(status, "cudaMalloc(" + bytes + ")", purpose);
            return address.get(0);
        }
    }

    /** What must happen before any of this GPU's memory is freed (recordings that may use it dropped). */
    void beforeFree(Runnable action) {
        beforeFree = action;
    }

    void free(Pointer memory) {
        beforeFree.run();
        bind();
        Check.cuda(cudart.cudaFree(memory), "cudaFree", null);
    }

    /** Waits until everything queued on the stream has run, then reports the first asynchronous failure. */
    void synchronize(String context) {
        bind();
        Check.cuda(cudart.cudaStreamSynchronize(stream), "cudaStreamSynchronize", context);
    }

    private String outOfMemory(long bytes, String purpose) {
        try (SizeTPointer free = new SizeTPointer(1); SizeTPointer total = new SizeTPointer(1)) {
            boolean known = cudart.cudaMemGetInfo(free, total) == cudart.cudaSuccess;
            return ErrorMessages.outOfMemory("cudaMalloc", bytes, known ? free.get() : -1, known ? total.get() : -1, purpose);
        }
    }

    private static String deviceName(int ordinal) {
        int[] device = new int[1];
        Check.driver(cudart.cuDeviceGet(device, ordinal), "cuDeviceGet(" + ordinal + ")", null);
        byte[] name = new byte[256];
        Check.driver(cudart.cuDeviceGetName(name, name.length, device[0]), "cuDeviceGetName", null);
        int length = 0;
        while (length < name.length && name[length] != 0) {
            length++;
        }
        return new String(name, 0, length, java.nio.charset.StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        bind();
        Check.cuda(cudart.cudaStreamSynchronize(stream), "cudaStreamSynchronize", "closing the backend");
        Check.cuda(cudart.cudaStreamDestroy(stream), "cudaStreamDestroy", null);
    }
}
