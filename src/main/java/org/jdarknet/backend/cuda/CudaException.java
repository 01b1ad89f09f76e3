package org.jdarknet.backend.cuda;

/** A CUDA, cuDNN, cuBLAS or NVRTC call failed; the message names the call and what it was doing. */
public final class CudaException extends RuntimeException {
    private final boolean outOfMemory;

    CudaException(String message, boolean outOfMemory) {
        super(message);
        this.outOfMemory = outOfMemory;
    }

    /** Whether the device ran out of memory (the message then says how much was needed). */
    public boolean outOfMemory() {
        return outOfMemory;
    }
}
