package org.jdarknet.backend.cuda;

/**
 * One cuBLAS {@code sgemm} as a connected layer needs it: {@code C = op(A) op(B) + beta C} in
 * cuBLAS's column-major terms, where darknet's row-major {@code rows x columns} matrix is the
 * column-major {@code columns x rows} one with leading dimension {@code columns}. Kept apart from
 * the call so that a test can run exactly these arguments through a plain column-major product
 * and compare with the reference backend.
 */
record Gemm(boolean transposeA, boolean transposeB, int m, int n, int k, int lda, int ldb, int ldc, float beta) {

    /** {@code output[b][o] = sum_i input[b][i] * weights[o][i]}: {@code Y(o x b) = W^T(o x i) X(i x b)}; A = weights, B = input. */
    static Gemm forward(int batch, int inputs, int outputs) {
        return new Gemm(true, false, outputs, batch, inputs, inputs, inputs, outputs, 0f);
    }

    /** {@code dW[o][i] += sum_b delta[b][o] input[b][i]}: {@code dW^T(i x o) += X(i x b) D^T(b x o)}; A = input, B = delta. */
    static Gemm weightGradient(int batch, int inputs, int outputs) {
        return new Gemm(false, true, inputs, outputs, batch, inputs, outputs, inputs, 1f);
    }

    /** {@code dX[b][i] += sum_o delta[b][o] weights[o][i]}: {@code dX(i x b) += W(i x o) D(o x b)}; A = weights, B = delta. */
    static Gemm inputDelta(int batch, int inputs, int outputs) {
        return new Gemm(false, false, inputs, batch, outputs, inputs, outputs, inputs, 1f);
    }
}
