package org.jdarknet.backend.cuda;

import org.jdarknet.UserException;

/**
 * A CUDA, cuDNN, cuBLAS, NVRTC or NCCL call failed; the message names the call, its status and what it
 * was doing. Reported as the user's problem (one line, the trace with {@code --verbose}): what
 * fails there is almost always the machine (out of memory, a driver or library that does not
 * match, a device in use), and the line is what a report needs.
 */
public final class CudaException extends UserException {
    private static final long serialVersionUID = 1L;
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
