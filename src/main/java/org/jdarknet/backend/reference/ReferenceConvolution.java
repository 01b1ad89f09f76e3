package org.jdarknet.backend.reference;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.jdarknet.backend.Convolution;
import org.jdarknet.backend.ConvolutionSpec;
import org.jdarknet.backend.Epilogue;
import org.jdarknet.backend.Tensor;

/**
 * Convolution as darknet computes it: im2col, then for every output value a float sum over
 * k = (channel, ky, kx) in increasing order of {@code weight * input}, no fused multiply-add.
 * That order and rounding make the result bit-identical to darknet's {@code gemm_nn}.
 */
final class ReferenceConvolution implements Convolution {
    private final ConvolutionSpec spec;
    private final ReferenceBackend backend;
    /** Each group's sizes: its input channels and filters, and its input's length in one image. */
    private final int channelsPerGroup;
    private final int filtersPerGroup;
    private final int inputPerGroup;
    /** The unfolded matrix: k rows (channel, ky, kx) of n output positions. */
    private final int k;
    private final int n;
    private final float[] columns;

    ReferenceConvolution(ConvolutionSpec spec, ReferenceBackend backend) {
        this.spec = spec;
        this.backend = backend;
        this.channelsPerGroup = spec.input().c() / spec.groups();
        this.filtersPerGroup = spec.filters() / spec.groups();
        this.inputPerGroup = channelsPerGroup * spec.input().h() * spec.input().w();
        this.k = channelsPerGroup * spec.size() * spec.size();
        this.n = spec.outputHeight() * spec.outputWidth();
        this.columns = new float[k * n];
    }

    @Override
    public ConvolutionSpec spec() {
        return spec;
    }

    @Override
    public void forward(Tensor input, Tensor weights, Epilogue epilogue, Tensor output) {
        ArrayTensor in = ArrayTensor.of(input);
        float[] w = ArrayTensor.of(weights).data();
        ArrayTensor out = ArrayTensor.of(output);
        int groups = spec.groups();
        for (int b = 0; b < spec.input().n(); b++) {
            Arrays.fill(out.values(), out.start(b), out.start(b) + output.shape().itemSize(), 0f);
            for (int g = 0; g < groups; g++) {
                im2col(in.values(), in.start(b) + g * inputPerGroup, channelsPerGroup);
                multiplyAccumulate(w, g * filtersPerGroup * k, out.values(), out.start(b) + g * filtersPerGroup * n);
            }
        }
        backend.apply(epilogue, output);
    }

    /**
     * Darknet's backward_convolutional_layer, per item and group: the weight gradient is the
     * delta times the unfolded input; the input delta is the weights (transposed) times the delta,
     * folded back onto the image. Unlike darknet, which overwrites the previous layer's delta for
     * 1x1 convolutions (losing what a shortcut or route already put there), we always add.
     */
    @Override
    public void backward(Tensor input, Tensor weights, Tensor delta, Tensor weightGradient, Tensor inputDelta) {
        float[] in = ArrayTensor.of(input).data();
        float[] w = ArrayTensor.of(weights).data();
        float[] d = ArrayTensor.of(delta).data();
        float[] dw = ArrayTensor.of(weightGradient).data();
        float[] dx = inputDelta == null ? null : ArrayTensor.of(inputDelta).data();
        int groups = spec.groups();
        for (int b = 0; b < spec.input().n(); b++) {
            for (int g = 0; g < groups; g++) {
                int deltaOffset = (b * groups + g) * filtersPerGroup * n;
                im2col(in, (b * groups + g) * inputPerGroup, channelsPerGroup);
                accumulateWeightGradient(d, deltaOffset, dw, g * filtersPerGroup * k);
                if (dx != null) {
                    unfoldedInputDelta(w, g * filtersPerGroup * k, d, deltaOffset);
                    col2im(dx, (b * groups + g) * inputPerGroup, channelsPerGroup);
                }
            }
        }
    }

    /**
     * {@code dW[m][k] += sum_n delta[m][n] * columns[k][n]} for the group's m filters; they are
     * independent, so shared out between cores.
     */
    private void accumulateWeightGradient(float[] delta, int deltaOffset, float[] dw, int dwOffset) {
        IntStream.range(0, filtersPerGroup).parallel().forEach(i -> {
            for (int p = 0; p < k; p++) {
                float sum = 0;
                for (int j = 0; j < n; j++) {
                    sum += delta[deltaOffset + i * n + j] * columns[p * n + j];
                }
                dw[dwOffset + i * k + p] += sum;
            }
        });
    }

    /** {@code columns[k][n] = sum_m W[m][k] * delta[m][n]}, the input delta still unfolded. */
    private void unfoldedInputDelta(float[] w, int wOffset, float[] delta, int deltaOffset) {
        IntStream.range(0, k).parallel().forEach(p -> {
            int row = p * n;
            Arrays.fill(columns, row, row + n, 0f);
            for (int i = 0; i < filtersPerGroup; i++) {
                float weight = w[wOffset + i * k + p];
                int deltaRow = deltaOffset + i * n;
                for (int j = 0; j < n; j++) {
                    columns[row + j] += weight * delta[deltaRow + j];
                }
            }
        });
    }

    /** Adds the unfolded {@code columns} back onto one group of one image (the inverse of {@link #im2col}). */
    private void col2im(float[] image, int offset, int channels) {
        forEachColumnCell(channels, (column, pixel) -> {
            if (pixel >= 0) {
                image[offset + pixel] += columns[column];
            }
        });
    }

    /** Unfolds one group of one image into {@code columns}, rows ordered (channel, ky, kx). */
    private void im2col(float[] image, int offset, int channels) {
        forEachColumnCell(channels, (column, pixel) -> columns[column] = pixel >= 0 ? image[offset + pixel] : 0f);
    }

    /**
     * Visits every cell of the unfolded matrix (row = channel, ky, kx; column = output position)
     * with the index of the input pixel it reads within the group, or -1 where it falls in the zero padding.
     */
    private void forEachColumnCell(int channels, CellVisitor visitor) {
        int height = spec.input().h();
        int width = spec.input().w();
        int size = spec.size();
        int outH = spec.outputHeight();
        int outW = spec.outputWidth();
        int row = 0;
        for (int c = 0; c < channels; c++) {
            for (int ky = 0; ky < size; ky++) {
                for (int kx = 0; kx < size; kx++, row++) {
                    int base = row * outH * outW;
                    for (int y = 0; y < outH; y++) {
                        int iy = y * spec.stride() + ky - spec.padding();
                        for (int x = 0; x < outW; x++) {
                            int ix = x * spec.stride() + kx - spec.padding();
                            boolean inside = iy >= 0 && iy < height && ix >= 0 && ix < width;
                            visitor.visit(base + y * outW + x, inside ? (c * height + iy) * width + ix : -1);
                        }
                    }
                }
            }
        }
    }

    @FunctionalInterface
    private interface CellVisitor {
        void visit(int column, int pixel);
    }

    /**
     * {@code C[m][n] += A[m][k] * columns[k][n]} for the group's m filters, in darknet's i-k-j
     * order. Rows are independent, so they are shared out between cores; each value is still
     * summed in the same order.
     */
    private void multiplyAccumulate(float[] a, int aOffset, float[] c, int cOffset) {
        IntStream.range(0, filtersPerGroup).parallel().forEach(i -> {
            int cRow = cOffset + i * n;
            for (int p = 0; p < k; p++) {
                float weight = a[aOffset + i * k + p];
                int bRow = p * n;
                for (int j = 0; j < n; j++) {
                    c[cRow + j] += weight * columns[bRow + j];
                }
            }
        });
    }
}
