package org.jdarknet.backend.reference;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.jdarknet.backend.Activation;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.BatchNorm;
import org.jdarknet.backend.BatchNormTraining;
import org.jdarknet.backend.Connected;
import org.jdarknet.backend.ConnectedSpec;
import org.jdarknet.backend.CostFunction;
import org.jdarknet.backend.Convolution;
import org.jdarknet.backend.ConvolutionSpec;
import org.jdarknet.backend.Epilogue;
import org.jdarknet.backend.PoolSpec;
import org.jdarknet.backend.Shape;
import org.jdarknet.backend.Tensor;

/**
 * The readable oracle: single-threaded Java loops over NCHW arrays that repeat darknet's
 * arithmetic operation for operation, so that its outputs are bit-identical to the C darknet's
 * wherever darknet itself is deterministic. Every faster backend is tested against this one.
 */
public final class ReferenceBackend implements Backend {

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public String description() {
        return "reference (plain Java, darknet's exact arithmetic)";
    }

    @Override
    public Tensor allocate(Shape shape) {
        return new ArrayTensor(shape);
    }

    @Override
    public Tensor allocateParameter(Shape shape) {
        return new ArrayTensor(shape);
    }

    @Override
    public void upload(FloatBuffer values, Tensor tensor) {
        float[] data = ArrayTensor.of(tensor).data();
        if (values.remaining() != data.length) {
            throw new IllegalArgumentException("upload of " + values.remaining() + " values into a tensor of " + tensor.shape());
        }
        values.get(data);
    }

    @Override
    public float[] download(Tensor tensor) {
        return ArrayTensor.of(tensor).data().clone();
    }

    @Override
    public void fill(Tensor tensor, float value) {
        Arrays.fill(ArrayTensor.of(tensor).data(), value);
    }

    @Override
    public void copy(Tensor source, Tensor destination) {
        float[] from = ArrayTensor.of(source).data();
        float[] to = ArrayTensor.of(destination).data();
        if (from.length != to.length) {
            throw new IllegalArgumentException("copy between " + source.shape() + " and " + destination.shape());
        }
        System.arraycopy(from, 0, to, 0, from.length);
    }

    @Override
    public Convolution convolution(ConvolutionSpec spec) {
        return new ReferenceConvolution(spec, this);
    }

    @Override
    public Connected connected(ConnectedSpec spec) {
        return new ReferenceConnected(spec, this);
    }

    @Override
    public void apply(Epilogue epilogue, Tensor tensor) {
        float[] x = ArrayTensor.of(tensor).data();
        Shape shape = tensor.shape();
        int spatial = shape.h() * shape.w();
        if (epilogue.batchNorm() != null) {
            normalize(epilogue.batchNorm(), x, shape, spatial);
        }
        if (epilogue.biases() != null) {
            float[] biases = ArrayTensor.of(epilogue.biases()).data();
            forEachChannel(shape, spatial, (channel, from, to) -> {
                float bias = biases[channel];
                for (int i = from; i < to; i++) {
                    x[i] += bias;
                }
            });
        }
        activate(epilogue.activation(), x);
    }

    /** Darknet's order: normalise every value, then multiply by the channel's scale. */
    private static void normalize(BatchNorm bn, float[] x, Shape shape, int spatial) {
        float[] mean = ArrayTensor.of(bn.mean()).data();
        float[] variance = ArrayTensor.of(bn.variance()).data();
        float[] scales = ArrayTensor.of(bn.scales()).data();
        forEachChannel(shape, spatial, (channel, from, to) -> {
            for (int i = from; i < to; i++) {
                x[i] = bn.style().normalize(x[i], mean[channel], variance[channel]);
            }
            float scale = scales[channel];
            for (int i = from; i < to; i++) {
                x[i] *= scale;
            }
        });
    }

    private static void activate(Activation activation, float[] x) {
        if (activation == Activation.LINEAR) {
            return;
        }
        for (int i = 0; i < x.length; i++) {
            x[i] = activation.apply(x[i]);
        }
    }

    @Override
    public void maxPool(PoolSpec spec, Tensor input, Tensor output) {
        float[] in = ArrayTensor.of(input).data();
        float[] out = ArrayTensor.of(output).data();
        Shape is = spec.input();
        int outH = spec.outputHeight();
        int outW = spec.outputWidth();
        int planes = is.n() * is.c();
        for (int plane = 0; plane < planes; plane++) {
            int inPlane = plane * is.h() * is.w();
            int outPlane = plane * outH * outW;
            for (int y = 0; y < outH; y++) {
                for (int x = 0; x < outW; x++) {
                    float max = -Float.MAX_VALUE;
                    for (int dy = 0; dy < spec.size(); dy++) {
                        int iy = spec.offset() + y * spec.stride() + dy;
                        for (int dx = 0; dx < spec.size(); dx++) {
                            int ix = spec.offset() + x * spec.stride() + dx;
                            if (iy >= 0 && iy < is.h() && ix >= 0 && ix < is.w()) {
                                float value = in[inPlane + iy * is.w() + ix];
                                if (value > max) {
                                    max = value;
                                }
                            }
                        }
                    }
                    out[outPlane + y * outW + x] = max;
                }
            }
        }
    }

    /** Sequential float sum, then multiplied by {@code 1f/(h*w)} as darknet's fast-math build does. */
    @Override
    public void averagePool(Tensor input, Tensor output) {
        float[] in = ArrayTensor.of(input).data();
        float[] out = ArrayTensor.of(output).data();
        int spatial = input.shape().h() * input.shape().w();
        float inverse = 1f / spatial;
        for (int plane = 0; plane < out.length; plane++) {
            float sum = 0;
            for (int i = 0; i < spatial; i++) {
                sum += in[plane * spatial + i];
            }
            out[plane] = sum * inverse;
        }
    }

    @Override
    public void shortcut(Tensor from, float alpha, float beta, Tensor output) {
        float[] add = ArrayTensor.of(from).data();
        float[] out = ArrayTensor.of(output).data();
        Shape a = from.shape();
        Shape o = output.shape();
        int stride = Math.max(1, a.w() / o.w());
        int sample = Math.max(1, o.w() / a.w());
        int minW = Math.min(a.w(), o.w());
        int minH = Math.min(a.h(), o.h());
        int minC = Math.min(a.c(), o.c());
        for (int b = 0; b < o.n(); b++) {
            for (int k = 0; k < minC; k++) {
                for (int j = 0; j < minH; j++) {
                    for (int i = 0; i < minW; i++) {
                        int outIndex = i * sample + o.w() * (j * sample + o.h() * (k + o.c() * b));
                        int addIndex = i * stride + a.w() * (j * stride + a.h() * (k + a.c() * b));
                        out[outIndex] = alpha * out[outIndex] + beta * add[addIndex];
                    }
                }
            }
        }
    }

    @Override
    public void copyChannels(Tensor source, Tensor destination, int offset) {
        float[] from = ArrayTensor.of(source).data();
        float[] to = ArrayTensor.of(destination).data();
        int itemFrom = source.shape().itemSize();
        int itemTo = destination.shape().itemSize();
        int start = offset * destination.shape().h() * destination.shape().w();
        for (int b = 0; b < source.shape().n(); b++) {
            System.arraycopy(from, b * itemFrom, to, b * itemTo + start, itemFrom);
        }
    }

    /**
     * {@code e = exp(x/t - max/t)}, then {@code e * (1/sum)}. Darknet's build vectorises the sum
     * four lanes wide (see {@link #fourLaneSum}); its vector {@code expf} can still differ from
     * ours by a few units in the last place, so softmax outputs agree to about 1e-7, not bitwise.
     */
    @Override
    public void softmax(Tensor input, int groups, float temperature, Tensor output) {
        float[] in = ArrayTensor.of(input).data();
        float[] out = ArrayTensor.of(output).data();
        int groupSize = input.shape().itemSize() / groups;
        for (int start = 0; start < in.length; start += groupSize) {
            float largest = -Float.MAX_VALUE;
            for (int i = start; i < start + groupSize; i++) {
                largest = Math.max(largest, in[i]);
            }
            for (int i = start; i < start + groupSize; i++) {
                out[i] = (float) Math.exp(in[i] / temperature - largest / temperature);
            }
            float inverse = 1f / fourLaneSum(out, start, groupSize);
            for (int i = start; i < start + groupSize; i++) {
                out[i] *= inverse;
            }
        }
    }

    /**
     * A float sum as darknet's vectorised loops form it: lane j adds the values at offsets
     * j, j+4, j+8, ...; the lanes combine as (l0 + l2) + (l1 + l3); the remainder follows in order.
     */
    static float fourLaneSum(float[] values, int start, int length) {
        float l0 = 0;
        float l1 = 0;
        float l2 = 0;
        float l3 = 0;
        int vectorEnd = start + length - length % 4;
        for (int i = start; i < vectorEnd; i += 4) {
            l0 += values[i];
            l1 += values[i + 1];
            l2 += values[i + 2];
            l3 += values[i + 3];
        }
        float sum = (l0 + l2) + (l1 + l3);
        for (int i = vectorEnd; i < start + length; i++) {
            sum += values[i];
        }
        return sum;
    }

    @Override
    public void crop(Tensor input, int top, int left, boolean flip, float scale, float shift, Tensor output) {
        float[] in = ArrayTensor.of(input).data();
        float[] out = ArrayTensor.of(output).data();
        Shape is = input.shape();
        Shape os = output.shape();
        int index = 0;
        for (int plane = 0; plane < os.n() * os.c(); plane++) {
            for (int y = 0; y < os.h(); y++) {
                for (int x = 0; x < os.w(); x++) {
                    int column = flip ? is.w() - left - x - 1 : x + left;
                    out[index++] = in[(plane * is.h() + y + top) * is.w() + column] * scale + shift;
                }
            }
        }
    }

    @Override
    public void batchNormForward(BatchNormTraining state, Tensor x) {
        TrainingKernels.batchNormForward(data(x), x.shape(), data(state.scales()), data(state.rollingMean()),
                data(state.rollingVariance()), data(state.mean()), data(state.variance()), data(state.input()),
                data(state.normalized()), state.style());
    }

    @Override
    public void batchNormBackward(BatchNormTraining state, Tensor delta) {
        TrainingKernels.batchNormBackward(data(delta), delta.shape(), data(state.scales()), data(state.mean()),
                data(state.variance()), data(state.input()), data(state.normalized()), data(state.scaleGradient()),
                data(state.meanDelta()), data(state.varianceDelta()), state.style());
    }

    @Override
    public void biasGradient(Tensor delta, Tensor biasGradient) {
        TrainingKernels.biasGradient(data(delta), delta.shape(), data(biasGradient));
    }

    @Override
    public void activationGradient(Activation activation, Tensor x, Tensor y, Tensor delta) {
        TrainingKernels.activationGradient(activation, x == null ? null : data(x), data(y), data(delta));
    }

    @Override
    public void maxPoolBackward(PoolSpec spec, Tensor input, Tensor delta, Tensor inputDelta) {
        TrainingKernels.maxPoolBackward(spec, data(input), data(delta), data(inputDelta));
    }

    @Override
    public void averagePoolBackward(Tensor delta, Tensor inputDelta) {
        TrainingKernels.averagePoolBackward(data(delta), data(inputDelta), inputDelta.shape().h() * inputDelta.shape().w());
    }

    @Override
    public void addChannels(Tensor source, int offset, Tensor destination) {
        float[] from = data(source);
        float[] to = data(destination);
        int itemFrom = source.shape().itemSize();
        int itemTo = destination.shape().itemSize();
        int start = offset * source.shape().h() * source.shape().w();
        for (int b = 0; b < destination.shape().n(); b++) {
            for (int i = 0; i < itemTo; i++) {
                to[b * itemTo + i] += from[b * itemFrom + start + i];
            }
        }
    }

    @Override
    public void axpy(float alpha, Tensor x, Tensor y) {
        float[] from = data(x);
        float[] to = data(y);
        for (int i = 0; i < to.length; i++) {
            to[i] += alpha * from[i];
        }
    }

    @Override
    public void scale(Tensor x, float factor) {
        float[] values = data(x);
        for (int i = 0; i < values.length; i++) {
            values[i] *= factor;
        }
    }

    @Override
    public float softmaxCrossEntropy(Tensor probabilities, Tensor truth, Tensor delta) {
        return TrainingKernels.softmaxCrossEntropy(data(probabilities), data(truth), data(delta));
    }

    @Override
    public float cost(CostFunction function, Tensor prediction, Tensor truth, Tensor delta) {
        return TrainingKernels.cost(function, data(prediction), data(truth), data(delta));
    }

    @Override
    public void dropout(Tensor x, Tensor mask, float probability, long seed) {
        TrainingKernels.dropout(data(x), data(mask), probability, seed);
    }

    @Override
    public void dropoutBackward(Tensor mask, float probability, Tensor delta) {
        TrainingKernels.dropoutBackward(data(mask), probability, data(delta));
    }

    private static float[] data(Tensor tensor) {
        return ArrayTensor.of(tensor).data();
    }

    /** Visits each (item, channel) plane as a range of flat indices, with its channel number. */
    private static void forEachChannel(Shape shape, int spatial, ChannelRange action) {
        for (int b = 0; b < shape.n(); b++) {
            for (int c = 0; c < shape.c(); c++) {
                int from = (b * shape.c() + c) * spatial;
                action.visit(c, from, from + spatial);
            }
        }
    }

    @FunctionalInterface
    private interface ChannelRange {
        void visit(int channel, int from, int to);
    }
}
