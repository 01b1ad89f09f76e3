package org.jdarknet.backend.cuda;

import org.bytedeco.cuda.cublas.cublasContext;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.javacpp.FloatPointer;

/**
 * Connected layers as cuBLAS matrix products (see {@link Gemm} for the transpositions), on the
 * backend's stream, in cuBLAS's default math: true fp32, since tensor-core TF32 is used only when
 * asked for, and it is not.
 */
final class Blas implements AutoCloseable {
    private final Gpu gpu;
    private final cublasContext handle = new cublasContext();
    private final FloatPointer one = new FloatPointer(1f);
    private final FloatPointer zero = new FloatPointer(0f);

    Blas(Gpu gpu) {
        this.gpu = gpu;
        Check.cublas(cublas.cublasCreate_v2(handle), "cublasCreate", null);
        Check.cublas(cublas.cublasSetStream_v2(handle, gpu.stream()), "cublasSetStream", null);
        Check.cublas(cublas.cublasSetMathMode(handle, cublas.CUBLAS_DEFAULT_MATH), "cublasSetMathMode(DEFAULT)", null);
    }

    void connected(DeviceTensor input, DeviceTensor weights, DeviceTensor output) {
        int batch = input.shape().n();
        run(Gemm.forward(batch, input.shape().itemSize(), output.shape().itemSize()), weights, input, output, "forward");
    }

    void weightGradient(DeviceTensor input, DeviceTensor delta, DeviceTensor weightGradient) {
        int batch = input.shape().n();
        run(Gemm.weightGradient(batch, input.shape().itemSize(), delta.shape().itemSize()), input, delta, weightGradient,
                "weight gradient");
    }

    void inputDelta(DeviceTensor weights, DeviceTensor delta, DeviceTensor inputDelta) {
        int batch = inputDelta.shape().n();
        run(Gemm.inputDelta(batch, inputDelta.shape().itemSize(), delta.shape().itemSize()), weights, delta, inputDelta,
                "input delta");
    }

    private void run(Gemm gemm, DeviceTensor a, DeviceTensor b, DeviceTensor c, String pass) {
        gpu.bind();
        Check.cublas(cublas.cublasSgemm_v2(handle, gemm.transposeA() ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N,
                gemm.transposeB() ? cublas.CUBLAS_OP_T : cublas.CUBLAS_OP_N, gemm.m(), gemm.n(), gemm.k(), one, a.floats(),
                gemm.lda(), b.floats(), gemm.ldb(), gemm.beta() == 0 ? zero : one, c.floats(), gemm.ldc()), "cublasSgemm",
                "connected layer " + pass + " " + a.shape() + " x " + b.shape());
    }

    @Override
    public void close() {
        Check.cublas(cublas.cublasDestroy_v2(handle), "cublasDestroy", null);
        one.close();
        zero.close();
    }
}
