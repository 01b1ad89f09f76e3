// The arithmetic of jdarknet's CUDA kernels, one function per element, channel, plane or group.
//
// Each body repeats the reference backend's Java arithmetic operation for operation: the same
// float/double mix, the same summation order. Built for the device by nvcc/NVRTC (with -fmad=false,
// so nothing is contracted into an FMA) and for the host by the tests (g++ -ffp-contract=off), which
// compare it with the reference backend. kernels.md is the ABI; kernels.cu the __global__ wrappers.
#pragma once

#ifdef __CUDACC__
#define JD_HD __host__ __device__ __forceinline__
#else
#include <cmath>
#define JD_HD inline
#endif

// ------------------------------------------------------------------ Java's semantics

// Float.MAX_VALUE; no <cfloat> under NVRTC.
#define JD_FLOAT_MAX 3.40282347e+38f

// Java's (int) of a double: NaN is 0, out-of-range values saturate (C leaves these undefined).
JD_HD int jd_java_int(double value) {
    if (value != value) {
        return 0;
    }
    if (value >= 2147483647.0) {
        return 2147483647;
    }
    if (value <= -2147483648.0) {
        return -2147483647 - 1;
    }
    return (int) value;
}

// Java's Math.max of floats where the sign of a zero result does not matter: NaN wins.
JD_HD float jd_java_max(float a, float b) {
    if (a != a) {
        return a;
    }
    return a >= b ? a : b;
}

// A float sum in order from 0, as the reference's loops add.
JD_HD float jd_sum(const float* values, long long length) {
    float sum = 0;
    for (long long i = 0; i < length; i++) {
        sum += values[i];
    }
    return sum;
}

// ------------------------------------------------------------------ activations

enum JdActivation {
    JD_LOGISTIC, JD_LOGGY, JD_RELU, JD_ELU, JD_SELU, JD_RELIE, JD_PLSE, JD_HARDTAN, JD_LHTAN, JD_LINEAR,
    JD_RAMP, JD_LEAKY, JD_TANH, JD_STAIR, JD_MISH, JD_SWISH, JD_RELU6, JD_HARD_MISH, JD_GELU
};

// Activation.expf: the double exp rounded to float.
JD_HD float jd_expf(float x) {
    return (float) exp((double) x);
}

JD_HD float jd_logisticf(float x) {
    return 1.0f / (1.0f + jd_expf(-x));
}

// AlexeyAB's float tanh, 2/(1 + e^-2x) - 1.
JD_HD float jd_tanhf(float x) {
    return 2.0f / (1.0f + jd_expf(-2 * x)) - 1;
}

JD_HD float jd_softplus(float x) {
    if (x > 20) {
        return x;
    }
    if (x < -20) {
        return jd_expf(x);
    }
    return (float) log((double) (jd_expf(x) + 1));
}

JD_HD float jd_stair(float x) {
    int n = jd_java_int(floor((double) x));
    if (n % 2 == 0) {
        return (float) floor(x / 2.);
    }
    return (float) ((x - n) + floor(x / 2.));
}

JD_HD float jd_darknet_tanh(float x) {
    if (fabsf(x) > 20) {
        return x > 0 ? 1.0f : -1.0f;
    }
    double e = exp((double) (2 * x));
    return (float) ((e - 1) / (e + 1));
}

JD_HD float jd_gelu(float x) {
    float inner = (float) (0.797885 * x + 0.035677 * (float) pow((double) x, 3.0));
    return (float) (0.5 * x * (1 + (float) tanh((double) inner)));
}

// Activation.apply; an unknown code is the identity.
JD_HD float jd_activation(float x, int activation) {
    switch (activation) {
        case JD_LOGISTIC: return (float) (1.0 / (1.0 + exp((double) -x)));
        case JD_LOGGY: return (float) (2.0 / (1.0 + exp((double) -x)) - 1);
        case JD_RELU: return x > 0 ? x : 0;
        case JD_ELU: return x >= 0 ? x : (float) (exp((double) x) - 1);
        case JD_SELU: return x >= 0 ? (float) (1.0507 * x) : (float) (1.0507 * 1.6732 * (exp((double) x) - 1));
        case JD_RELIE: return x > 0 ? x : (float) (.01 * x);
        case JD_PLSE:
            if (x < -4) {
                return (float) (.01 * (x + 4));
            }
            if (x > 4) {
                return (float) (.01 * (x - 4) + 1);
            }
            return (float) (.125 * x + .5);
        case JD_HARDTAN: return x < -1 ? -1 : x > 1 ? 1 : x;
        case JD_LHTAN:
            if (x < 0) {
                return (float) (.001 * x);
            }
            if (x > 1) {
                return (float) (.001 * (x - 1) + 1);
            }
            return x;
        case JD_RAMP: return (float) ((x > 0 ? x : 0) + .1 * x);
        case JD_LEAKY: return x > 0 ? x : (float) (.1 * x);
        case JD_TANH: return jd_darknet_tanh(x);
        case JD_STAIR: return jd_stair(x);
        case JD_MISH: return x * jd_tanhf(jd_softplus(x));
        case JD_SWISH: return x * jd_logisticf(x);
        case JD_RELU6: {
            float low = x != x ? x : x > 0 ? x : 0.0f;
            return low != low ? low : low <= 6 ? low : 6.0f;
        }
        case JD_HARD_MISH:
            if (x > 0) {
                return x;
            }
            if (x > -2) {
                return x * x / 2 + x;
            }
            return 0;
        case JD_GELU: return jd_gelu(x);
        default: return x;
    }
}

JD_HD float jd_mish_gradient(float x) {
    float softplus = jd_softplus(x);
    float gradSoftplus = (float) (1 - exp((double) -softplus));
    float tanhValue = (float) tanh((double) softplus);
    return x * (1 - tanhValue * tanhValue) * gradSoftplus + tanhValue;
}

JD_HD float jd_gelu_gradient(float x) {
    float cube = (float) pow((double) x, 3.0);
    double inner = 0.0356774 * cube + 0.797885 * x;
    double sech = 2 / (exp(inner) + exp(-inner));
    return (float) (0.5 * tanh(inner) + (0.0535161 * cube + 0.398942 * x) * sech * sech + 0.5);
}

// Activation.gradient at input x with output y; an unknown code (and LINEAR) is 1.
JD_HD float jd_activation_derivative(float x, float y, int activation) {
    switch (activation) {
        case JD_LOGISTIC: return (1 - y) * y;
        case JD_LOGGY: {
            float half = (float) ((y + 1.) / 2.);
            return 2 * (1 - half) * half;
        }
        case JD_RELU: return y > 0 ? 1 : 0;
        case JD_ELU: return y >= 0 ? 1 : y + 1;
        case JD_SELU: return y >= 0 ? (float) 1.0507 : (float) (y + 1.0507 * 1.6732);
        case JD_RELIE: return y > 0 ? 1 : (float) .01;
        case JD_PLSE: return y < 0 || y > 1 ? (float) .01 : (float) .125;
        case JD_HARDTAN: return y > -1 && y < 1 ? 1 : 0;
        case JD_LHTAN: return y > 0 && y < 1 ? 1 : (float) .001;
        case JD_RAMP: return (float) ((y > 0 ? 1 : 0) + .1);
        case JD_LEAKY: return y > 0 ? 1 : (float) .1;
        case JD_TANH: return 1 - y * y;
        case JD_STAIR: return floor((double) y) == y ? 0 : 1;
        case JD_MISH: return jd_mish_gradient(x);
        case JD_SWISH: {
            float sigmoid = jd_logisticf(x);
            return y + sigmoid * (1 - y);
        }
        case JD_RELU6: return y > 0 && y < 6 ? 1 : 0;
        case JD_HARD_MISH: return x > 0 ? 1 : x > -2 ? x + 1 : 0;
        case JD_GELU: return jd_gelu_gradient(x);
        default: return 1;
    }
}

// ------------------------------------------------------------------ batch normalisation

enum JdBatchNormStyle { JD_PJREDDIE, JD_ALEXEYAB };

// BatchNormStyle's epsilons: pjreddie's is the float 1e-6 widened to double.
#define JD_PJREDDIE_EPSILON ((double) 1e-6f)
#define JD_ALEXEYAB_EPSILON 1e-5f

// BatchNormStyle.divisor: sqrt(var) + 1e-6, or sqrt(var + 1e-5) with the sum in float.
JD_HD double jd_bn_divisor(float variance, int style) {
    if (style == JD_PJREDDIE) {
        return sqrt((double) variance) + JD_PJREDDIE_EPSILON;
    }
    return sqrt((double) (variance + JD_ALEXEYAB_EPSILON));
}

// BatchNormStyle.divisorSlope, d divisor / d var.
JD_HD double jd_bn_divisor_slope(float variance, int style) {
    if (style == JD_PJREDDIE) {
        double root = sqrt((double) variance);
        return 0.5 / (root != root ? root : root >= JD_PJREDDIE_EPSILON ? root : JD_PJREDDIE_EPSILON);
    }
    return 0.5 / sqrt((double) (variance + JD_ALEXEYAB_EPSILON));
}

// BatchNormStyle.normalize.
JD_HD float jd_bn_normalize(float x, float mean, float variance, int style) {
    float centred = x - mean;
    return (float) (centred / jd_bn_divisor(variance, style));
}

// Backend.apply(Epilogue) for one value of channel c: normalise and scale, add the bias, activate.
JD_HD float jd_epilogue_value(float x, int c, const float* scales, const float* mean, const float* variance,
                              int style, const float* biases, int activation) {
    if (scales) {
        x = jd_bn_normalize(x, mean[c], variance[c], style);
        x *= scales[c];
    }
    if (biases) {
        x += biases[c];
    }
    return jd_activation(x, activation);
}

JD_HD long long jd_plane_start(int b, int c, int channels, int spatial) {
    return ((long long) b * channels + c) * spatial;
}

// TrainingKernels.batchNormForward's statistics of channel c and the rolling update.
JD_HD void jd_bn_statistics(const float* x, float* mean, float* variance, float* rollingMean,
                            float* rollingVariance, int batch, int channels, int spatial, int c) {
    float meanScale = (float) (1. / (batch * spatial));
    float varianceScale = (float) (1. / (batch * spatial - 1));
    float sum = 0;
    for (int b = 0; b < batch; b++) {
        const float* plane = x + jd_plane_start(b, c, channels, spatial);
        for (int i = 0; i < spatial; i++) {
            sum += plane[i];
        }
    }
    float m = sum * meanScale;
    float squares = 0;
    for (int b = 0; b < batch; b++) {
        const float* plane = x + jd_plane_start(b, c, channels, spatial);
        for (int i = 0; i < spatial; i++) {
            double centred = plane[i] - m;
            squares = (float) (squares + centred * centred);
        }
    }
    float v = squares * varianceScale;
    mean[c] = m;
    variance[c] = v;
    rollingMean[c] = rollingMean[c] * .99f + .01f * m;
    rollingVariance[c] = rollingVariance[c] * .99f + .01f * v;
}

// TrainingKernels.batchNormBackward's per-channel sums, from the delta before scaling.
JD_HD void jd_bn_backward_sums(const float* delta, const float* normalized, const float* savedInput,
                               const float* scales, const float* mean, const float* variance,
                               float* scaleGradient, float* meanDelta, float* varianceDelta,
                               int batch, int channels, int spatial, int style, int c) {
    float sum = 0;
    for (int b = 0; b < batch; b++) {
        long long start = jd_plane_start(b, c, channels, spatial);
        for (int i = 0; i < spatial; i++) {
            sum += delta[start + i] * normalized[start + i];
        }
    }
    scaleGradient[c] += sum;
    float scale = scales[c];
    float m = mean[c];
    double deltaSum = 0;
    double centredSum = 0;
    for (int b = 0; b < batch; b++) {
        long long start = jd_plane_start(b, c, channels, spatial);
        for (int i = 0; i < spatial; i++) {
            float scaled = delta[start + i] * scale;
            deltaSum += scaled;
            centredSum += scaled * (double) (savedInput[start + i] - m);
        }
    }
    double divisor = jd_bn_divisor(variance[c], style);
    meanDelta[c] = (float) (-deltaSum / divisor);
    varianceDelta[c] = (float) (-centredSum / (divisor * divisor) * jd_bn_divisor_slope(variance[c], style));
}

// TrainingKernels.batchNormBackward's input delta for one value of channel c, from its unscaled delta.
JD_HD float jd_bn_backward_value(float delta, float savedInput, int c, const float* scales, const float* mean,
                                 const float* variance, const float* meanDelta, const float* varianceDelta,
                                 int batch, int spatial, int style) {
    int count = batch * spatial;
    float scaled = delta * scales[c];
    return (float) (scaled / jd_bn_divisor(variance[c], style)
                    + varianceDelta[c] * 2.0 * (savedInput - mean[c]) / (count - 1) + meanDelta[c] / count);
}

// TrainingKernels.biasGradient for channel c: a float sum per plane, added plane by plane.
JD_HD void jd_channel_bias_gradient(const float* delta, float* biasGradient, int batch, int channels, int spatial, int c) {
    float gradient = biasGradient[c];
    for (int b = 0; b < batch; b++) {
        gradient += jd_sum(delta + jd_plane_start(b, c, channels, spatial), spatial);
    }
    biasGradient[c] = gradient;
}

// ------------------------------------------------------------------ batch normalisation, parallel statistics
// The exact kernels above sum each channel in one thread, as the reference does. These split each
// plane into chunks of `chunk` values, sum every chunk in double in its own thread, then add the
// chunks of a channel in a fixed order: deterministic for a given chunk, and not bit-equal to the
// reference's float sums (closer to the exact sums than those are).

JD_HD int jd_chunks(int spatial, int chunk) {
    return (spatial + chunk - 1) / chunk;
}

// The values of work item `item` (over planes × chunks): [*from, *to) of plane *plane.
JD_HD void jd_chunk_range(long long item, int spatial, int chunk, long long* plane, int* from, int* to) {
    int chunks = jd_chunks(spatial, chunk);
    *plane = item / chunks;
    *from = (int) (item - *plane * chunks) * chunk;
    *to = *from + chunk < spatial ? *from + chunk : spatial;
}

// Σ x over one chunk, or Σ (x - centre[c])² where centre is not null.
JD_HD double jd_chunk_sum(const float* x, const float* centre, long long item, int channels, int spatial, int chunk) {
    long long plane;
    int from;
    int to;
    jd_chunk_range(item, spatial, chunk, &plane, &from, &to);
    const float* values = x + plane * spatial;
    double sum = 0;
    if (centre) {
        double m = centre[plane % channels];
        for (int i = from; i < to; i++) {
            double d = values[i] - m;
            sum += d * d;
        }
    } else {
        for (int i = from; i < to; i++) {
            sum += values[i];
        }
    }
    return sum;
}

// Σ over channel c's chunks of component `part` of partials laid out [plane][chunk][parts].
JD_HD double jd_channel_total(const double* partials, int parts, int part, int batch, int channels, int spatial,
                              int chunk, int c) {
    int chunks = jd_chunks(spatial, chunk);
    double total = 0;
    for (int b = 0; b < batch; b++) {
        const double* plane = partials + jd_plane_start(b, c, channels, chunks) * parts;
        for (int k = 0; k < chunks; k++) {
            total += plane[k * parts + part];
        }
    }
    return total;
}

// The mean of channel c from Σ x chunks.
JD_HD float jd_bn_mean_from_partials(const double* partials, int batch, int channels, int spatial, int chunk, int c) {
    return (float) (jd_channel_total(partials, 1, 0, batch, channels, spatial, chunk, c) / ((double) batch * spatial));
}

// The variance of channel c (n-1 divisor) from Σ (x - mean)² chunks, and the rolling update.
JD_HD void jd_bn_variance_from_partials(const double* partials, const float* mean, float* variance,
                                        float* rollingMean, float* rollingVariance, int batch, int channels,
                                        int spatial, int chunk, int c) {
    double squares = jd_channel_total(partials, 1, 0, batch, channels, spatial, chunk, c);
    float v = (float) (squares / ((double) batch * spatial - 1));
    variance[c] = v;
    rollingMean[c] = rollingMean[c] * .99f + .01f * mean[c];
    rollingVariance[c] = rollingVariance[c] * .99f + .01f * v;
}

// One chunk's three sums for backward, from the unscaled delta: Σ delta·normalized, Σ delta,
// Σ delta·(input - mean).
JD_HD void jd_bn_backward_chunk(const float* delta, const float* normalized, const float* savedInput,
                                const float* mean, double* partials, long long item, int channels, int spatial,
                                int chunk) {
    long long plane;
    int from;
    int to;
    jd_chunk_range(item, spatial, chunk, &plane, &from, &to);
    long long start = plane * spatial;
    double m = mean[plane % channels];
    double scaleSum = 0;
    double deltaSum = 0;
    double centredSum = 0;
    for (long long i = start + from; i < start + to; i++) {
        double d = delta[i];
        scaleSum += d * normalized[i];
        deltaSum += d;
        centredSum += d * (savedInput[i] - m);
    }
    partials[item * 3] = scaleSum;
    partials[item * 3 + 1] = deltaSum;
    partials[item * 3 + 2] = centredSum;
}

// TrainingKernels.batchNormBackward's per-channel results from the chunks' sums.
JD_HD void jd_bn_backward_from_partials(const double* partials, const float* scales, const float* variance,
                                        float* scaleGradient, float* meanDelta, float* varianceDelta, int batch,
                                        int channels, int spatial, int chunk, int style, int c) {
    scaleGradient[c] += (float) jd_channel_total(partials, 3, 0, batch, channels, spatial, chunk, c);
    double scale = scales[c];
    double deltaSum = scale * jd_channel_total(partials, 3, 1, batch, channels, spatial, chunk, c);
    double centredSum = scale * jd_channel_total(partials, 3, 2, batch, channels, spatial, chunk, c);
    double divisor = jd_bn_divisor(variance[c], style);
    meanDelta[c] = (float) (-deltaSum / divisor);
    varianceDelta[c] = (float) (-centredSum / (divisor * divisor) * jd_bn_divisor_slope(variance[c], style));
}

// ------------------------------------------------------------------ pooling

struct JdPool {
    int inH, inW, outH, outW, size, stride, offset;
};

// The flat in-plane index of the first largest input of window (y, x), -1 when it has none.
JD_HD int jd_window_argmax(const float* plane, JdPool pool, int y, int x) {
    float max = -JD_FLOAT_MAX;
    int argmax = -1;
    for (int dy = 0; dy < pool.size; dy++) {
        int iy = pool.offset + y * pool.stride + dy;
        for (int dx = 0; dx < pool.size; dx++) {
            int ix = pool.offset + x * pool.stride + dx;
            if (iy >= 0 && iy < pool.inH && ix >= 0 && ix < pool.inW && plane[iy * pool.inW + ix] > max) {
                max = plane[iy * pool.inW + ix];
                argmax = iy * pool.inW + ix;
            }
        }
    }
    return argmax;
}

// ReferenceBackend.maxPool for output value `index` (over planes × outH × outW).
JD_HD float jd_maxpool_value(const float* input, JdPool pool, long long index) {
    long long plane = index / ((long long) pool.outH * pool.outW);
    int cell = (int) (index - plane * pool.outH * pool.outW);
    const float* in = input + plane * pool.inH * pool.inW;
    int argmax = jd_window_argmax(in, pool, cell / pool.outW, cell % pool.outW);
    return argmax < 0 ? -JD_FLOAT_MAX : in[argmax];
}

// The first window index whose windows [first*stride + offset, +size) reach `cell`.
JD_HD int jd_first_window(int cell, JdPool pool) {
    int lowest = cell - pool.offset - pool.size + 1;
    return lowest <= 0 ? 0 : (lowest + pool.stride - 1) / pool.stride;
}

// TrainingKernels.maxPoolBackward gathered at input value `index`: the deltas of the windows whose
// first largest input it is, added in the order the reference scatters them.
JD_HD float jd_maxpool_gradient(const float* input, const float* delta, float inputDelta, JdPool pool,
                                long long index) {
    long long plane = index / ((long long) pool.inH * pool.inW);
    int cell = (int) (index - plane * pool.inH * pool.inW);
    int iy = cell / pool.inW;
    int ix = cell % pool.inW;
    const float* in = input + plane * pool.inH * pool.inW;
    const float* planeDelta = delta + plane * pool.outH * pool.outW;
    int lastY = (iy - pool.offset) / pool.stride;
    int lastX = (ix - pool.offset) / pool.stride;
    for (int y = jd_first_window(iy, pool); y <= lastY && y < pool.outH; y++) {
        for (int x = jd_first_window(ix, pool); x <= lastX && x < pool.outW; x++) {
            if (jd_window_argmax(in, pool, y, x) == cell) {
                inputDelta += planeDelta[y * pool.outW + x];
            }
        }
    }
    return inputDelta;
}

// ReferenceBackend.averagePool of one plane: a float sum in order times 1f/spatial.
JD_HD float jd_average(const float* plane, int spatial) {
    return jd_sum(plane, spatial) * (1.0f / spatial);
}

// ------------------------------------------------------------------ shortcut, crop

// ReferenceBackend.shortcut for work item `index` over batch × minC × minH × minW.
JD_HD void jd_shortcut_item(const float* from, float* output, int fromC, int fromH, int fromW, int outC, int outH,
                            int outW, float alpha, float beta, long long index) {
    int stride = fromW / outW > 1 ? fromW / outW : 1;
    int sample = outW / fromW > 1 ? outW / fromW : 1;
    int minW = fromW < outW ? fromW : outW;
    int minH = fromH < outH ? fromH : outH;
    int minC = fromC < outC ? fromC : outC;
    int i = (int) (index % minW);
    long long rest = index / minW;
    int j = (int) (rest % minH);
    rest /= minH;
    int k = (int) (rest % minC);
    long long b = rest / minC;
    long long outIndex = i * sample + (long long) outW * (j * sample + (long long) outH * (k + outC * b));
    long long fromIndex = i * stride + (long long) fromW * (j * stride + (long long) fromH * (k + fromC * b));
    output[outIndex] = alpha * output[outIndex] + beta * from[fromIndex];
}

// The number of work items of jd_shortcut_item.
JD_HD long long jd_shortcut_items(int batch, int fromC, int fromH, int fromW, int outC, int outH, int outW) {
    long long minC = fromC < outC ? fromC : outC;
    long long minH = fromH < outH ? fromH : outH;
    long long minW = fromW < outW ? fromW : outW;
    return batch * minC * minH * minW;
}

// ReferenceBackend.crop for output value `index` over planes × outH × outW.
JD_HD float jd_crop_value(const float* input, int inH, int inW, int outH, int outW, int top, int left, int flip,
                          float scale, float shift, long long index) {
    int x = (int) (index % outW);
    long long rest = index / outW;
    int y = (int) (rest % outH);
    long long plane = rest / outH;
    int column = flip ? inW - left - x - 1 : x + left;
    return input[(plane * inH + y + top) * inW + column] * scale + shift;
}

// ------------------------------------------------------------------ softmax, losses

// ReferenceBackend.fourLaneSum: darknet's vectorised float sum.
JD_HD float jd_four_lane_sum(const float* values, int length) {
    float l0 = 0;
    float l1 = 0;
    float l2 = 0;
    float l3 = 0;
    int vectorEnd = length - length % 4;
    for (int i = 0; i < vectorEnd; i += 4) {
        l0 += values[i];
        l1 += values[i + 1];
        l2 += values[i + 2];
        l3 += values[i + 3];
    }
    float sum = (l0 + l2) + (l1 + l3);
    for (int i = vectorEnd; i < length; i++) {
        sum += values[i];
    }
    return sum;
}

// ReferenceBackend.softmax of one group.
JD_HD void jd_softmax_group(const float* in, float* out, int size, float temperature) {
    float largest = -JD_FLOAT_MAX;
    for (int i = 0; i < size; i++) {
        largest = jd_java_max(largest, in[i]);
    }
    for (int i = 0; i < size; i++) {
        out[i] = (float) exp((double) (in[i] / temperature - largest / temperature));
    }
    float inverse = 1.0f / jd_four_lane_sum(out, size);
    for (int i = 0; i < size; i++) {
        out[i] *= inverse;
    }
}

// TrainingKernels.softmaxCrossEntropy's term for one value (0 where the truth is 0).
JD_HD float jd_cross_entropy_term(float probability, float truth) {
    return truth != 0 ? (float) -log((double) probability) : 0.0f;
}

enum JdCostFunction { JD_SSE, JD_L1, JD_SMOOTH };

// CostFunction.error for one value: returns the error, sets *delta.
JD_HD float jd_cost_value(float prediction, float truth, int function, float* delta) {
    float difference = truth - prediction;
    float sign = difference > 0 ? 1.0f : -1.0f;
    float magnitude = fabsf(difference);
    if (function == JD_SSE || (function == JD_SMOOTH && magnitude < 1)) {
        *delta = difference;
        return difference * difference;
    }
    *delta = sign;
    return function == JD_L1 ? magnitude : 2 * magnitude - 1;
}

// ------------------------------------------------------------------ dropout

// SplittableRandom's mix64.
JD_HD unsigned long long jd_mix64(unsigned long long z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// The index-th nextDouble() of new SplittableRandom(seed), as float: its seed advances by the
// golden gamma before each draw.
JD_HD float jd_dropout_uniform(long long seed, long long index) {
    unsigned long long state = (unsigned long long) seed + (unsigned long long) (index + 1) * 0x9e3779b97f4a7c15ULL;
    return (float) ((double) (jd_mix64(state) >> 11) * (1.0 / 9007199254740992.0));
}

JD_HD float jd_dropout_scale(float probability) {
    return (float) (1. / (1. - probability));
}
