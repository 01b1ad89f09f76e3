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
    private final float[] columns;

    ReferenceConvolution(ConvolutionSpec spec, ReferenceBackend backend) {
        this.spec = spec;
        this.backend = backend;
        int k = spec.input().c() / spec.groups() * spec.size() * spec.size();
        this.columns = new float[k * spec.outputHeight() * spec.outputWidth()];
    }

    @Override
    public ConvolutionSpec spec() {
        return spec;
    }

    @Override
    public void forward(Tensor input, Tensor weights, Epilogue epilogue, Tensor output) {
        float[] in = ArrayTensor.of(input).data();
        float[] w = ArrayTensor.of(weights).data();
        float[] out = ArrayTensor.of(output).data();
        int groups = spec.groups();
        int channelsPerGroup = spec.input().c() / groups;
        int filtersPerGroup = spec.filters() / groups;
        int k = channelsPerGroup * spec.size() * spec.size();
        int n = spec.outputHeight() * spec.outputWidth();
        int inputPerGroup = channelsPerGroup * spec.input().h() * spec.input().w();
        Arrays.fill(out, 0f);
        for (int b = 0; b < spec.input().n(); b++) {
            for (int g = 0; g < groups; g++) {
                im2col(in, (b * groups + g) * inputPerGroup, channelsPerGroup);
                multiplyAccumulate(w, g * filtersPerGroup * k, filtersPerGroup, k, n, out, (b * groups + g) * filtersPerGroup * n);
            }
        }
        backend.apply(epilogue, output);
    }

    /** Unfolds one group of one image into {@code columns}, rows ordered (channel, ky, kx). */
    private void im2col(float[] image, int offset, int channels) {
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
                            columns[base + y * outW + x] = inside ? image[offset + (c * height + iy) * width + ix] : 0f;
                        }
                    }
                }
            }
        }
    }

    /**
     * {@code C[m][n] += A[m][k] * columns[k][n]} in darknet's i-k-j order. Rows are independent,
     * so they are shared out between cores; each value is still summed in the same order.
     */
    private void multiplyAccumulate(float[] a, int aOffset, int m, int k, int n, float[] c, int cOffset) {
        IntStream.range(0, m).parallel().forEach(i -> {
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
