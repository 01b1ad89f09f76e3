package org.jdarknet.backend.reference;

import org.jdarknet.backend.Activation;
import org.jdarknet.backend.BatchNormStyle;
import org.jdarknet.backend.CostFunction;
import org.jdarknet.backend.DropoutStream;
import org.jdarknet.backend.PoolSpec;
import org.jdarknet.backend.Shape;

/**
 * The reference backend's training arithmetic on plain NCHW arrays, written after darknet's
 * {@code blas.c}, {@code batchnorm_layer.c} and the layers' backward functions: the same formulas,
 * the same mix of float and double, in the same order where that is cheap to keep.
 */
final class TrainingKernels {
    private static final float ROLLING_KEEP = .99f;
    private static final float ROLLING_TAKE = .01f;

    private TrainingKernels() {
    }

    /** Per-channel batch mean and variance (n-1 divisor), rolling update, normalisation, scaling. */
    static void batchNormForward(float[] x, Shape shape, float[] scales, float[] rollingMean, float[] rollingVariance,
                                 float[] mean, float[] variance, float[] savedInput, float[] normalized, BatchNormStyle style) {
        int spatial = shape.h() * shape.w();
        System.arraycopy(x, 0, savedInput, 0, x.length);
        float meanScale = (float) (1. / (shape.n() * spatial));
        float varianceScale = (float) (1. / (shape.n() * spatial - 1));
        for (int c = 0; c < shape.c(); c++) {
            float sum = 0;
            for (int b = 0; b < shape.n(); b++) {
                int base = (b * shape.c() + c) * spatial;
                for (int i = 0; i < spatial; i++) {
                    sum += x[base + i];
                }
            }
            mean[c] = sum * meanScale;
            float squares = 0;
            for (int b = 0; b < shape.n(); b++) {
                int base = (b * shape.c() + c) * spatial;
                for (int i = 0; i < spatial; i++) {
                    double centred = x[base + i] - mean[c];
                    squares = (float) (squares + centred * centred);
                }
            }
            variance[c] = squares * varianceScale;
            rollingMean[c] = rollingMean[c] * ROLLING_KEEP + ROLLING_TAKE * mean[c];
            rollingVariance[c] = rollingVariance[c] * ROLLING_KEEP + ROLLING_TAKE * variance[c];
        }
        forEachValue(shape, (c, i) -> x[i] = style.normalize(x[i], mean[c], variance[c]));
        System.arraycopy(x, 0, normalized, 0, x.length);
        forEachValue(shape, (c, i) -> x[i] *= scales[c]);
    }

    /**
     * Back through the normalisation after the bias: the scales' gradient, then the delta with
     * respect to the input, the exact derivative of the forward above. Darknet's own backward is
     * not quite that: it differentiates with the 1/n variance and {@code sqrt(var + 1e-5)} while its
     * forward uses 1/(n-1) and the style's epsilon. The two differ by O(1/n) for n values per
     * channel, which is small for convolutions (n = batch × positions) and noticeable for
     * connected layers with small batches.
     */
    static void batchNormBackward(float[] delta, Shape shape, float[] scales, float[] mean, float[] variance,
                                  float[] savedInput, float[] normalized, float[] scaleGradient,
                                  float[] meanDelta, float[] varianceDelta, BatchNormStyle style) {
        int spatial = shape.h() * shape.w();
        int count = shape.n() * spatial;
        for (int c = 0; c < shape.c(); c++) {
            float sum = 0;
            for (int b = 0; b < shape.n(); b++) {
                int base = (b * shape.c() + c) * spatial;
                for (int i = 0; i < spatial; i++) {
                    sum += delta[base + i] * normalized[base + i];
                }
            }
            scaleGradient[c] += sum;
        }
        forEachValue(shape, (c, i) -> delta[i] *= scales[c]);
        for (int c = 0; c < shape.c(); c++) {
            double deltaSum = 0;
            double centredSum = 0;
            for (int b = 0; b < shape.n(); b++) {
                int base = (b * shape.c() + c) * spatial;
                for (int i = 0; i < spatial; i++) {
                    deltaSum += delta[base + i];
                    centredSum += delta[base + i] * (double) (savedInput[base + i] - mean[c]);
                }
            }
            double divisor = style.divisor(variance[c]);
            meanDelta[c] = (float) (-deltaSum / divisor);
            varianceDelta[c] = (float) (-centredSum / (divisor * divisor) * style.divisorSlope(variance[c]));
        }
        forEachValue(shape, (c, i) -> delta[i] = (float) (delta[i] / style.divisor(variance[c])
                + varianceDelta[c] * 2.0 * (savedInput[i] - mean[c]) / (count - 1) + meanDelta[c] / count));
    }

    static void biasGradient(float[] delta, Shape shape, float[] biasGradient) {
        int spatial = shape.h() * shape.w();
        for (int b = 0; b < shape.n(); b++) {
            for (int c = 0; c < shape.c(); c++) {
                float sum = 0;
                int base = (b * shape.c() + c) * spatial;
                for (int i = 0; i < spatial; i++) {
                    sum += delta[base + i];
                }
                biasGradient[c] += sum;
            }
        }
    }

    static void activationGradient(Activation activation, float[] x, float[] y, float[] delta) {
        if (activation == Activation.LINEAR) {
            return;
        }
        for (int i = 0; i < delta.length; i++) {
            delta[i] *= activation.gradient(x == null ? 0 : x[i], y[i]);
        }
    }

    /** Darknet's two gemms: {@code dW[o][i] += sum_b delta[b][o]*x[b][i]}, {@code dx[b][i] += sum_o delta[b][o]*W[o][i]}. */
    static void connectedBackward(float[] x, float[] weights, float[] delta, float[] weightGradient, float[] inputDelta,
                                  int batch, int inputs, int outputs) {
        for (int o = 0; o < outputs; o++) {
            for (int b = 0; b < batch; b++) {
                float d = delta[b * outputs + o];
                for (int i = 0; i < inputs; i++) {
                    weightGradient[o * inputs + i] += d * x[b * inputs + i];
                }
            }
        }
        if (inputDelta == null) {
            return;
        }
        for (int b = 0; b < batch; b++) {
            for (int o = 0; o < outputs; o++) {
                float d = delta[b * outputs + o];
                for (int i = 0; i < inputs; i++) {
                    inputDelta[b * inputs + i] += d * weights[o * inputs + i];
                }
            }
        }
    }

    /** Finds each window's largest input again (the first, on ties, as darknet's strict {@code >}) and adds the delta there. */
    static void maxPoolBackward(PoolSpec spec, float[] input, float[] delta, float[] inputDelta) {
        Shape is = spec.input();
        int outH = spec.outputHeight();
        int outW = spec.outputWidth();
        for (int plane = 0; plane < is.n() * is.c(); plane++) {
            int inPlane = plane * is.h() * is.w();
            for (int y = 0; y < outH; y++) {
                for (int x = 0; x < outW; x++) {
                    int argmax = windowArgmax(spec, input, inPlane, y, x);
                    if (argmax >= 0) {
                        inputDelta[argmax] += delta[(plane * outH + y) * outW + x];
                    }
                }
            }
        }
    }

    private static int windowArgmax(PoolSpec spec, float[] input, int inPlane, int y, int x) {
        Shape is = spec.input();
        float max = -Float.MAX_VALUE;
        int argmax = -1;
        for (int dy = 0; dy < spec.size(); dy++) {
            int iy = spec.offset() + y * spec.stride() + dy;
            for (int dx = 0; dx < spec.size(); dx++) {
                int ix = spec.offset() + x * spec.stride() + dx;
                if (iy >= 0 && iy < is.h() && ix >= 0 && ix < is.w() && input[inPlane + iy * is.w() + ix] > max) {
                    max = input[inPlane + iy * is.w() + ix];
                    argmax = inPlane + iy * is.w() + ix;
                }
            }
        }
        return argmax;
    }

    static void averagePoolBackward(float[] delta, float[] inputDelta, int spatial) {
        for (int plane = 0; plane < delta.length; plane++) {
            float share = delta[plane] / spatial;
            for (int i = 0; i < spatial; i++) {
                inputDelta[plane * spatial + i] += share;
            }
        }
    }

    /** {@code delta = truth - p}; the loss adds {@code -log p} where the truth is non-zero. */
    static float softmaxCrossEntropy(float[] probabilities, float[] truth, float[] delta) {
        float loss = 0;
        for (int i = 0; i < probabilities.length; i++) {
            if (truth[i] != 0) {
                loss += (float) -Math.log(probabilities[i]);
            }
            delta[i] = truth[i] - probabilities[i];
        }
        return loss;
    }

    static float cost(CostFunction function, float[] prediction, float[] truth, float[] delta) {
        float total = 0;
        for (int i = 0; i < prediction.length; i++) {
            total += function.error(prediction[i], truth[i], delta, i);
        }
        return total;
    }

    /** Darknet's dropout with the draws of {@link DropoutStream}. */
    static void dropout(float[] x, float[] mask, float probability, long seed) {
        float scale = DropoutStream.keptScale(probability);
        for (int i = 0; i < x.length; i++) {
            mask[i] = DropoutStream.uniform(seed, i);
            x[i] = DropoutStream.dropped(mask[i], probability) ? 0 : x[i] * scale;
        }
    }

    static void dropoutBackward(float[] mask, float probability, float[] delta) {
        float scale = DropoutStream.keptScale(probability);
        for (int i = 0; i < delta.length; i++) {
            delta[i] = DropoutStream.dropped(mask[i], probability) ? 0 : delta[i] * scale;
        }
    }

    /** Calls {@code action} with (channel, flat index) for every value of an NCHW tensor. */
    private static void forEachValue(Shape shape, ValueAction action) {
        int spatial = shape.h() * shape.w();
        for (int b = 0; b < shape.n(); b++) {
            for (int c = 0; c < shape.c(); c++) {
                int base = (b * shape.c() + c) * spatial;
                for (int i = base; i < base + spatial; i++) {
                    action.apply(c, i);
                }
            }
        }
    }

    @FunctionalInterface
    private interface ValueAction {
        void apply(int channel, int index);
    }
}
