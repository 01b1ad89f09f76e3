package org.jdarknet.backend.cuda;

import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.cudnn;
import org.bytedeco.cuda.global.nccl;
import org.bytedeco.cuda.global.nvrtc;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Turns the status every CUDA, cuDNN, cuBLAS, NVRTC and NCCL call returns into a {@link CudaException}
 * that names the call, the library's name for the status and, when given, what was being done.
 * Nothing is ever left unchecked: a failure the first call ignores surfaces, misattributed, in a
 * later one.
 */
final class Check {
    private Check() {
    }

    /** A CUDA runtime call ({@code cuda*}). */
    static void cuda(int code, String call, String context) {
        if (code != cudart.cudaSuccess) {
            String name = string(cudart.cudaGetErrorName(code)) + ": " + string(cudart.cudaGetErrorString(code));
            throw new CudaException(ErrorMessages.failure(call, code, name, context), code == cudart.cudaErrorMemoryAllocation);
        }
    }

    /** A CUDA driver call ({@code cu*}: modules and kernel launches). */
    static void driver(int code, String call, String context) {
        if (code != cudart.CUDA_SUCCESS) {
            String name;
            try (PointerPointer<BytePointer> text = new PointerPointer<>(1)) {
                name = cudart.cuGetErrorName(code, text) == cudart.CUDA_SUCCESS && !text.get(0).isNull()
                        ? text.get(BytePointer.class, 0).getString() : null;
            }
            throw new CudaException(ErrorMessages.failure(call, code, name, context), code == cudart.CUDA_ERROR_OUT_OF_MEMORY);
        }
    }

    static void cudnn(int code, String call, String context) {
        if (code != cudnn.CUDNN_STATUS_SUCCESS) {
            throw new CudaException(ErrorMessages.failure(call, code, string(cudnn.cudnnGetErrorString(code)), context),
                    code == cudnn.CUDNN_STATUS_ALLOC_FAILED);
        }
    }

    static void cublas(int code, String call, String context) {
        if (code != cublas.CUBLAS_STATUS_SUCCESS) {
            throw new CudaException(ErrorMessages.failure(call, code, string(cublas.cublasGetStatusString(code)), context),
                    code == cublas.CUBLAS_STATUS_ALLOC_FAILED);
        }
    }

    static void nvrtc(int code, String call, String context) {
        if (code != nvrtc.NVRTC_SUCCESS) {
            throw new CudaException(ErrorMessages.failure(call, code, string(nvrtc.nvrtcGetErrorString(code)), context), false);
        }
    }

    static void nccl(int code, String call, String context) {
        if (code != nccl.ncclSuccess) {
            throw new CudaException(ErrorMessages.failure(call, code, string(nccl.ncclGetErrorString(code)), context), false);
        }
    }

    private static String string(BytePointer text) {
        return text == null || text.isNull() ? null : text.getString();
    }
}
