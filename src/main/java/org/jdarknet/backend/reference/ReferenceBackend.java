package org.jdarknet.backend.reference;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Optional;
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

    /** Every slice: a view shares its parent's array. */
    @Override
    public Optional<Tensor> channelSlice(Tensor parent, int offset, int channels) {
        return Optional.of(ArrayTensor.channelSlice(ArrayTensor.of(parent), offset, channels));
    }

    @Override
    public void upload(FloatBuffer values, Tensor tensor) {
        ArrayTensor to = ArrayTensor.of(tensor);
        if (values.remaining() != tensor.shape().size()) {
            throw new IllegalArgumentException("upload of " + values.remaining() + " values into a tensor of " + tensor.shape());
        }
        int item = tensor.shape().itemSize();
        for (int b = 0; b < tensor.shape().n(); b++) {
            values.get(to.values(), to.start(b), item);
        }
    }

    @Override
    public float[] download(Tensor tensor) {
        ArrayTensor from = ArrayTensor.of(tensor);
        float[] values = new float[tensor.shape().size()];
        int item = tensor.shape().itemSize();
        for (int b = 0; b < tensor.shape().n(); b++) {
            System.arraycopy(from.values(), from.start(b), values, b * item, item);
        }
        return values;
    }

    @Override
    public void fill(Tensor tensor, float value) {
        ArrayTensor to = ArrayTensor.of(tensor);
        int item = tensor.shape().itemSize();
        for (int b = 0; b < tensor.shape().n(); b++) {
            Arrays.fill(to.values(), to.start(b), to.start(b) + item, value);
        }
    }

    @Override
    public void copy(Tensor source, Tensor destination) {
        ArrayTensor from = ArrayTensor.of(source);
        ArrayTensor to = ArrayTensor.of(destination);
        if (!source.shape().equals(destination.shape())) {
            throw new IllegalArgumentException("copy between " + source.shape() + " and " + destination.shape());
        }
        int item = source.shape().itemSize();
        for (int b = 0; b < source.shape().n(); b++) {
            System.arraycopy(from.values(), from.start(b), to.values(), to.start(b), item);
        }
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
        ArrayTensor values = ArrayTensor.of(tensor);
        float[] x = values.values();
        if (epilogue.batchNorm() != null) {
            normalize(epilogue.batchNorm(), values);
        }
        if (epilogue.biases() != null) {
            float[] biases = ArrayTensor.of(epilogue.biases()).data();
            forEachChannel(values, (channel, from, to) -> {
                float bias = biases[channel];
                for (int i = from; i < to; i++) {
                    x[i] += bias;
                }
            });
        }
        if (epilogue.activation() != Activation.LINEAR) {
            forEachChannel(values, (channel, from, to) -> activate(epilogue.activation(), x, from, to));
        }
        epilogue.composeResidual(this, tensor);
    }

    /** Darknet's order: normalise every value, then multiply by the channel's scale. */
    private static void normalize(BatchNorm bn, ArrayTensor values) {
        float[] x = values.values();
        float[] mean = ArrayTensor.of(bn.mean()).data();
        float[] variance = ArrayTensor.of(bn.variance()).data();
        float[] scales = ArrayTensor.of(bn.scales()).data();
        forEachChannel(values, (channel, from, to) -> {
            for (int i = from; i < to; i++) {
                x[i] = bn.style().normalize(x[i], mean[channel], variance[channel]);
            }
            float scale = scales[channel];
            for (int i = from; i < to; i++) {
                x[i] *= scale;
            }
        });
    }

    private static void activate(Activation activation, float[] x, int from, int to) {
        for (int i = from; i < to; i++) {
            x[i] = activation.apply(x[i]);
        }
    }

    @Override
    public void maxPool(PoolSpec spec, Tensor input, Tensor output) {
        ArrayTensor inTensor = ArrayTensor.of(input);
        ArrayTensor outTensor = ArrayTensor.of(output);
        float[] in = inTensor.values();
        float[] out = outTensor.values();
        Shape is = spec.input();
        int outH = spec.outputHeight();
        int outW = spec.outputWidth();
        for (int plane = 0; plane < is.n() * is.c(); plane++) {
            int inPlane = inTensor.start(plane / is.c()) + plane % is.c() * is.h() * is.w();
            int outPlane = outTensor.start(plane / is.c()) + plane % is.c() * outH * outW;
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
        ArrayTensor inTensor = ArrayTensor.of(input);
        ArrayTensor outTensor = ArrayTensor.of(output);
        float[] in = inTensor.values();
        float[] out = outTensor.values();
        int channels = input.shape().c();
        int spatial = input.shape().h() * input.shape().w();
        float inverse = 1f / spatial;
        for (int plane = 0; plane < input.shape().n() * channels; plane++) {
            int start = inTensor.start(plane / channels) + plane % channels * spatial;
            float sum = 0;
            for (int i = 0; i < spatial; i++) {
                sum += in[start + i];
            }
            out[outTensor.start(plane / channels) + plane % channels] = sum * inverse;
        }
    }

    @Override
    public void shortcut(Tensor from, float alpha, float beta, Tensor output) {
        ArrayTensor addTensor = ArrayTensor.of(from);
        ArrayTensor outTensor = ArrayTensor.of(output);
        float[] add = addTensor.values();
        float[] out = outTensor.values();
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
                        int outIndex = outTensor.start(b) + i * sample + o.w() * (j * sample + o.h() * k);
                        int addIndex = addTensor.start(b) + i * stride + a.w() * (j * stride + a.h() * k);
                        out[outIndex] = alpha * out[outIndex] + beta * add[addIndex];
                    }
                }
            }
        }
    }

    @Override
    public void copyChannels(Tensor source, Tensor destination, int offset) {
        ArrayTensor from = ArrayTensor.of(source);
        ArrayTensor to = ArrayTensor.of(destination);
        int start = offset * destination.shape().h() * destination.shape().w();
        for (int b = 0; b < source.shape().n(); b++) {
            System.arraycopy(from.values(), from.start(b), to.values(), to.start(b) + start, source.shape().itemSize());
        }
    }

    /**
     * {@code e = exp(x/t - max/t)}, then {@code e * (1/sum)}. Darknet's build vectorises the sum
     * four lanes wide (see {@link #fourLaneSum}); its vector {@code expf} can still differ from
     * ours by a few units in the last place, so softmax outputs agree to about 1e-7, not bitwise.
     */
    @Override
    public void softmax(Tensor input, int groups, float temperature, Tensor output) {
        ArrayTensor inTensor = ArrayTensor.of(input);
        ArrayTensor outTensor = ArrayTensor.of(output);
        float[] in = inTensor.values();
        float[] out = outTensor.values();
        int groupSize = input.shape().itemSize() / groups;
        for (int group = 0; group < input.shape().n() * groups; group++) {
            int from = inTensor.start(group / groups) + group % groups * groupSize;
            int to = outTensor.start(group / groups) + group % groups * groupSize;
            float largest = -Float.MAX_VALUE;
            for (int i = 0; i < groupSize; i++) {
                largest = Math.max(largest, in[from + i]);
            }
            for (int i = 0; i < groupSize; i++) {
                out[to + i] = (float) Math.exp(in[from + i] / temperature - largest / temperature);
            }
            float inverse = 1f / fourLaneSum(out, to, groupSize);
            for (int i = 0; i < groupSize; i++) {
                out[to + i] *= inverse;
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
        ArrayTensor inTensor = ArrayTensor.of(input);
        ArrayTensor outTensor = ArrayTensor.of(output);
        float[] in = inTensor.values();
        float[] out = outTensor.values();
        Shape is = input.shape();
        Shape os = output.shape();
        for (int b = 0; b < os.n(); b++) {
            int index = outTensor.start(b);
            for (int c = 0; c < os.c(); c++) {
                for (int y = 0; y < os.h(); y++) {
                    for (int x = 0; x < os.w(); x++) {
                        int column = flip ? is.w() - left - x - 1 : x + left;
                        out[index++] = in[inTensor.start(b) + (c * is.h() + y + top) * is.w() + column] * scale + shift;
                    }
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

    /** Visits each (item, channel) plane as a range of indices into the tensor's array, with its channel number. */
    private static void forEachChannel(ArrayTensor tensor, ChannelRange action) {
        Shape shape = tensor.shape();
        int spatial = shape.h() * shape.w();
        for (int b = 0; b < shape.n(); b++) {
            for (int c = 0; c < shape.c(); c++) {
                int from = tensor.start(b) + c * spatial;
                action.visit(c, from, from + spatial);
            }
        }
    }

    @FunctionalInterface
    private interface ChannelRange {
        void visit(int channel, int from, int to);
    }
}
