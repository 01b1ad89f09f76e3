// jdarknet's CUDA kernels: thin grid-stride wrappers over the bodies in ops.cuh.
//
// The ABI (names, parameters, work items, enum codes, bounds) is kernels.md. Every kernel loops over
// its work items with a grid stride, so any grid and block size is correct, and none uses shared
// memory: the tests run these very wrappers on the host, with odd grids, through an emulation header.
#include "ops.cuh"

#define JD_FOR_EACH(index, count)                                                                      \
    for (long long index = (long long) blockIdx.x * blockDim.x + threadIdx.x; index < (count);         \
         index += (long long) blockDim.x * gridDim.x)

// ------------------------------------------------------------------ element-wise

extern "C" __global__ void jd_fill(float* x, long long n, float value) {
    JD_FOR_EACH(i, n) {
        x[i] = value;
    }
}

extern "C" __global__ void jd_axpy(const float* x, float* y, long long n, float alpha) {
    JD_FOR_EACH(i, n) {
        y[i] += alpha * x[i];
    }
}

extern "C" __global__ void jd_scale(float* x, long long n, float factor) {
    JD_FOR_EACH(i, n) {
        x[i] *= factor;
    }
}

extern "C" __global__ void jd_activate(float* x, long long n, int activation) {
    JD_FOR_EACH(i, n) {
        x[i] = jd_activation(x[i], activation);
    }
}

extern "C" __global__ void jd_activation_gradient(const float* x, const float* y, float* delta, long long n,
                                                  int activation) {
    JD_FOR_EACH(i, n) {
        delta[i] *= jd_activation_derivative(x ? x[i] : 0.0f, y[i], activation);
    }
}

extern "C" __global__ void jd_epilogue(float* x, long long n, int channels, int spatial, const float* bn_scales,
                                       const float* bn_mean, const float* bn_variance, int style,
                                       const float* biases, int activation) {
    JD_FOR_EACH(i, n) {
        int c = (int) ((i / spatial) % channels);
        x[i] = jd_epilogue_value(x[i], c, bn_scales, bn_mean, bn_variance, style, biases, activation);
    }
}

// ------------------------------------------------------------------ batch normalisation, training

extern "C" __global__ void jd_batchnorm_statistics(const float* x, float* mean, float* variance,
                                                   float* rolling_mean, float* rolling_variance, int batch,
                                                   int channels, int spatial) {
    JD_FOR_EACH(c, channels) {
        jd_bn_statistics(x, mean, variance, rolling_mean, rolling_variance, batch, channels, spatial, (int) c);
    }
}

extern "C" __global__ void jd_batchnorm_normalize(float* x, float* saved_input, float* normalized,
                                                  const float* mean, const float* variance, const float* scales,
                                                  long long n, int channels, int spatial, int style) {
    JD_FOR_EACH(i, n) {
        int c = (int) ((i / spatial) % channels);
        float value = x[i];
        saved_input[i] = value;
        float normal = jd_bn_normalize(value, mean[c], variance[c], style);
        normalized[i] = normal;
        x[i] = normal * scales[c];
    }
}

extern "C" __global__ void jd_batchnorm_backward_sums(const float* delta, const float* normalized,
                                                      const float* saved_input, const float* scales,
                                                      const float* mean, const float* variance,
                                                      float* scale_gradient, float* mean_delta,
                                                      float* variance_delta, int batch, int channels, int spatial,
                                                      int style) {
    JD_FOR_EACH(c, channels) {
        jd_bn_backward_sums(delta, normalized, saved_input, scales, mean, variance, scale_gradient, mean_delta,
                            variance_delta, batch, channels, spatial, style, (int) c);
    }
}

extern "C" __global__ void jd_batchnorm_backward_delta(float* delta, const float* saved_input, const float* scales,
                                                       const float* mean, const float* variance,
                                                       const float* mean_delta, const float* variance_delta,
                                                       long long n, int batch, int channels, int spatial,
                                                       int style) {
    JD_FOR_EACH(i, n) {
        int c = (int) ((i / spatial) % channels);
        delta[i] = jd_bn_backward_value(delta[i], saved_input[i], c, scales, mean, variance, mean_delta,
                                        variance_delta, batch, spatial, style);
    }
}

extern "C" __global__ void jd_bias_gradient(const float* delta, float* bias_gradient, int batch, int channels,
                                            int spatial) {
    JD_FOR_EACH(c, channels) {
        jd_channel_bias_gradient(delta, bias_gradient, batch, channels, spatial, (int) c);
    }
}

// ------------------------------------------------------------------ pooling

extern "C" __global__ void jd_maxpool_forward(const float* input, float* output, long long planes, int in_h,
                                              int in_w, int out_h, int out_w, int size, int stride, int offset) {
    JdPool pool = {in_h, in_w, out_h, out_w, size, stride, offset};
    JD_FOR_EACH(i, planes * out_h * out_w) {
        output[i] = jd_maxpool_value(input, pool, i);
    }
}

extern "C" __global__ void jd_maxpool_backward(const float* input, const float* delta, float* input_delta,
                                               long long planes, int in_h, int in_w, int out_h, int out_w, int size,
                                               int stride, int offset) {
    JdPool pool = {in_h, in_w, out_h, out_w, size, stride, offset};
    JD_FOR_EACH(i, planes * in_h * in_w) {
        input_delta[i] = jd_maxpool_gradient(input, delta, input_delta[i], pool, i);
    }
}

extern "C" __global__ void jd_avgpool_forward(const float* input, float* output, long long planes, int spatial) {
    JD_FOR_EACH(p, planes) {
        output[p] = jd_average(input + p * spatial, spatial);
    }
}

extern "C" __global__ void jd_avgpool_backward(const float* delta, float* input_delta, long long planes,
                                               int spatial) {
    JD_FOR_EACH(i, planes * spatial) {
        input_delta[i] += delta[i / spatial] / spatial;
    }
}

// ------------------------------------------------------------------ shape-changing copies

extern "C" __global__ void jd_shortcut(const float* from, float* output, int batch, int from_c, int from_h,
                                       int from_w, int out_c, int out_h, int out_w, float alpha, float beta) {
    JD_FOR_EACH(i, jd_shortcut_items(batch, from_c, from_h, from_w, out_c, out_h, out_w)) {
        jd_shortcut_item(from, output, from_c, from_h, from_w, out_c, out_h, out_w, alpha, beta, i);
    }
}

extern "C" __global__ void jd_copy_channels(const float* source, float* destination, int batch,
                                            long long source_item, long long destination_item,
                                            long long destination_offset) {
    JD_FOR_EACH(i, batch * source_item) {
        long long b = i / source_item;
        destination[b * destination_item + destination_offset + (i - b * source_item)] = source[i];
    }
}

extern "C" __global__ void jd_add_channels(const float* source, float* destination, int batch,
                                           long long source_item, long long destination_item,
                                           long long source_offset) {
    JD_FOR_EACH(i, batch * destination_item) {
        long long b = i / destination_item;
        destination[i] += source[b * source_item + source_offset + (i - b * destination_item)];
    }
}

extern "C" __global__ void jd_crop(const float* input, float* output, long long planes, int in_h, int in_w,
                                   int out_h, int out_w, int top, int left, int flip, float scale, float shift) {
    JD_FOR_EACH(i, planes * out_h * out_w) {
        output[i] = jd_crop_value(input, in_h, in_w, out_h, out_w, top, left, flip, scale, shift, i);
    }
}

// ------------------------------------------------------------------ softmax, losses, dropout

extern "C" __global__ void jd_softmax(const float* input, float* output, long long groups, int group_size,
                                      float temperature) {
    JD_FOR_EACH(g, groups) {
        jd_softmax_group(input + g * group_size, output + g * group_size, group_size, temperature);
    }
}

extern "C" __global__ void jd_softmax_cross_entropy(const float* probabilities, const float* truth, float* delta,
                                                    float* loss, long long n) {
    JD_FOR_EACH(i, n) {
        loss[i] = jd_cross_entropy_term(probabilities[i], truth[i]);
        delta[i] = truth[i] - probabilities[i];
    }
}

extern "C" __global__ void jd_cost(const float* prediction, const float* truth, float* delta, float* error,
                                   long long n, int function) {
    JD_FOR_EACH(i, n) {
        error[i] = jd_cost_value(prediction[i], truth[i], function, delta + i);
    }
}

extern "C" __global__ void jd_segment_sums(const float* x, float* sums, long long segments, long long length) {
    JD_FOR_EACH(s, segments) {
        sums[s] = jd_sum(x + s * length, length);
    }
}

extern "C" __global__ void jd_dropout_forward(float* x, float* mask, long long n, float probability, long long seed) {
    float scale = jd_dropout_scale(probability);
    JD_FOR_EACH(i, n) {
        float uniform = jd_dropout_uniform(seed, i);
        mask[i] = uniform;
        x[i] = uniform < probability ? 0 : x[i] * scale;
    }
}

extern "C" __global__ void jd_dropout_backward(const float* mask, float* delta, long long n, float probability) {
    float scale = jd_dropout_scale(probability);
    JD_FOR_EACH(i, n) {
        delta[i] = mask[i] < probability ? 0 : delta[i] * scale;
    }
}

// ------------------------------------------------------------------ batch normalisation, parallel statistics

extern "C" __global__ void jd_chunk_sums(const float* x, const float* centre, double* partials, long long planes,
                                         int channels, int spatial, int chunk) {
    JD_FOR_EACH(item, planes * jd_chunks(spatial, chunk)) {
        partials[item] = jd_chunk_sum(x, centre, item, channels, spatial, chunk);
    }
}

extern "C" __global__ void jd_batchnorm_mean_from_partials(const double* partials, float* mean, int batch,
                                                           int channels, int spatial, int chunk) {
    JD_FOR_EACH(c, channels) {
        mean[c] = jd_bn_mean_from_partials(partials, batch, channels, spatial, chunk, (int) c);
    }
}

extern "C" __global__ void jd_batchnorm_variance_from_partials(const double* partials, const float* mean,
                                                               float* variance, float* rolling_mean,
                                                               float* rolling_variance, int batch, int channels,
                                                               int spatial, int chunk) {
    JD_FOR_EACH(c, channels) {
        jd_bn_variance_from_partials(partials, mean, variance, rolling_mean, rolling_variance, batch, channels,
                                     spatial, chunk, (int) c);
    }
}

extern "C" __global__ void jd_batchnorm_backward_partials(const float* delta, const float* normalized,
                                                          const float* saved_input, const float* mean,
                                                          double* partials, long long planes, int channels,
                                                          int spatial, int chunk) {
    JD_FOR_EACH(item, planes * jd_chunks(spatial, chunk)) {
        jd_bn_backward_chunk(delta, normalized, saved_input, mean, partials, item, channels, spatial, chunk);
    }
}

extern "C" __global__ void jd_batchnorm_backward_from_partials(const double* partials, const float* scales,
                                                               const float* variance, float* scale_gradient,
                                                               float* mean_delta, float* variance_delta, int batch,
                                                               int channels, int spatial, int chunk, int style) {
    JD_FOR_EACH(c, channels) {
        jd_bn_backward_from_partials(partials, scales, variance, scale_gradient, mean_delta, variance_delta, batch,
                                     channels, spatial, chunk, style, (int) c);
    }
}
