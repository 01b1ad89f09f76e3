package org.jdarknet.backend.cpu;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SCALE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SHIFT;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_MEAN;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SCALE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_VARIANCE;

import java.nio.FloatBuffer;
import java.util.List;
import org.bytedeco.dnnl.batch_normalization_backward;
import org.bytedeco.dnnl.batch_normalization_forward;
import org.bytedeco.dnnl.binary;
import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.global.dnnl.normalization_flags;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.post_ops;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.primitive_attr;
import org.jdarknet.backend.BatchNormStyle;
import org.jdarknet.backend.BatchNormTraining;
import org.jdarknet.backend.Tensor;

/**
 * Batch normalisation while training with oneDNN's primitives, computing the reference backend's
 * formulas: darknet's forward and the exact derivative of it.
 *
 * <p>Forward: oneDNN's training statistics give each channel's mean and variance; darknet's
 * variance divides by {@code n-1} instead of {@code n}, a factor applied here. Normalising and
 * scaling are then one binary primitive each, {@code (x - centre) * factor} per channel.
 *
 * <p>Backward: for {@code y = γ(x - μ)/σ} oneDNN computes
 * {@code dx = γ/σ (δ - Σδ/n - x̃ Σ(δ x̃)/n)} with {@code x̃ = (x - μ)/σ}, and the sums. Ours is
 * {@code dx = a (δ - Σδ/n - k x̂ Σ(δ x̂)/(n-1))} for the normalised values {@code x̂}, with
 * {@code a = scale/divisor} and {@code k = 2 divisor (d divisor/d var)} (1 in AlexeyAB's style).
 * Given {@code x̂} as input, a zero mean, {@code σ² = (n-1)/(k n)} and {@code γ = a σ}, oneDNN's
 * formula is ours, and {@code Σ(δ x̂)} is σ times its scale gradient.
 */
record TrainingBatchNorm(Dnnl dnnl, Transfers transfers) {
    /** Darknet's rolling averages: 99% of the old value, 1% of the batch's. */
    private static final float ROLLING_KEEP = .99f;
    private static final float ROLLING_TAKE = .01f;
    /**
     * oneDNN's epsilon, subtracted again from the σ² it is given. Not zero: oneDNN divides by
     * {@code sqrt(σ² + ε)} in the padding lanes of blocked layouts too, where σ² is zero.
     */
    private static final float EPSILON = 0x1p-20f;
    private static final int SCALE_AND_SHIFT = normalization_flags.use_scale.value | normalization_flags.use_shift.value;

    private record Key(Layout layout) {
    }

    void forward(BatchNormTraining state, ActivationTensor x) {
        Primitives p = primitives(x.layout());
        ActivationTensor normalized = ActivationTensor.of(state.normalized());
        transfers.copy(x, ActivationTensor.of(state.input()));
        p.statistics(x, normalized);
        long n = valuesPerChannel(x);
        FloatBuffer scales = read(state.scales());
        ParameterTensor.write(values -> {
            float[] mean = values[0];
            float[] variance = values[1];
            float[] rollingMean = values[2];
            float[] rollingVariance = values[3];
            for (int c = 0; c < mean.length; c++) {
                mean[c] = p.mean.get(c);
                variance[c] = (float) ((double) p.variance.get(c) * n / (n - 1));
                rollingMean[c] = rollingMean[c] * ROLLING_KEEP + ROLLING_TAKE * mean[c];
                rollingVariance[c] = rollingVariance[c] * ROLLING_KEEP + ROLLING_TAKE * variance[c];
                p.factor.set(c, 1 / state.style().divisor(variance[c]));
                p.scales.set(c, scales.get(c));
            }
        }, parameters(state.mean(), state.variance(), state.rollingMean(), state.rollingVariance()));
        p.centreAndScale(x, normalized, p.mean, p.factor);
        p.centreAndScale(normalized, x, p.zeros, p.scales);
    }

    /** The scales' gradient, the mean and variance deltas, and {@code delta} back through normalisation, in place. */
    void backward(BatchNormTraining state, ActivationTensor delta) {
        Primitives p = primitives(delta.layout());
        long n = valuesPerChannel(delta);
        BatchNormStyle style = state.style();
        FloatBuffer scales = read(state.scales());
        FloatBuffer variance = read(state.variance());
        int channels = scales.limit();
        for (int c = 0; c < channels; c++) {
            double sigma = sigma(style, variance.get(c), n);
            p.variance.set(c, sigma * sigma - EPSILON);
            p.scales.set(c, scales.get(c) / style.divisor(variance.get(c)) * sigma);
        }
        p.backward(ActivationTensor.of(state.normalized()), delta);
        ParameterTensor.write(values -> {
            float[] scaleGradient = values[0];
            float[] meanDelta = values[1];
            float[] varianceDelta = values[2];
            for (int c = 0; c < channels; c++) {
                double divisor = style.divisor(variance.get(c));
                double deltaSum = p.shiftGradient.get(c);
                double normalizedProduct = p.scaleGradient.get(c) * sigma(style, variance.get(c), n);
                scaleGradient[c] += (float) normalizedProduct;
                meanDelta[c] = (float) (-scales.get(c) * deltaSum / divisor);
                varianceDelta[c] = (float) (-scales.get(c) * normalizedProduct / divisor
                        * style.divisorSlope(variance.get(c)));
            }
        }, parameters(state.scaleGradient(), state.meanDelta(), state.varianceDelta()));
    }

    /** The σ that makes oneDNN's backward ours (see the class comment). */
    private static double sigma(BatchNormStyle style, float variance, long n) {
        double k = 2 * style.divisor(variance) * style.divisorSlope(variance);
        return Math.sqrt((n - 1) / (k * n));
    }

    private static long valuesPerChannel(ActivationTensor tensor) {
        return (long) tensor.shape().n() * tensor.shape().h() * tensor.shape().w();
    }

    private static FloatBuffer read(Tensor tensor) {
        return ParameterTensor.of(tensor).read();
    }

    private static ParameterTensor[] parameters(Tensor... tensors) {
        ParameterTensor[] parameters = new ParameterTensor[tensors.length];
        for (int i = 0; i < tensors.length; i++) {
            parameters[i] = ParameterTensor.of(tensors[i]);
        }
        return parameters;
    }

    private Primitives primitives(Layout layout) {
        return dnnl.cached(new Key(layout), () -> new Primitives(dnnl, layout));
    }

    /** The primitives for one activation layout, and their per-channel operands. */
    private static final class Primitives implements AutoCloseable {
        private final Dnnl dnnl;
        private final primitive statistics;
        private final primitive centreAndScale;
        private final primitive backward;
        private final ChannelVector mean;
        private final ChannelVector variance;
        private final ChannelVector factor;
        private final ChannelVector zeros;
        private final ChannelVector scales;
        private final ChannelVector scaleGradient;
        private final ChannelVector shiftGradient;

        Primitives(Dnnl dnnl, Layout layout) {
            this.dnnl = dnnl;
            int channels = layout.shape().c();
            mean = new ChannelVector(dnnl, channels);
            variance = new ChannelVector(dnnl, channels);
            factor = new ChannelVector(dnnl, channels);
            zeros = new ChannelVector(dnnl, channels);
            scales = new ChannelVector(dnnl, channels);
            scaleGradient = new ChannelVector(dnnl, channels);
            shiftGradient = new ChannelVector(dnnl, channels);
            memory.desc descriptor = layout.descriptor();
            try (batch_normalization_forward.primitive_desc forward = forward(descriptor, 0);
                 batch_normalization_forward.primitive_desc hint = forward(descriptor, SCALE_AND_SHIFT);
                 batch_normalization_backward.primitive_desc back = new batch_normalization_backward.primitive_desc(
                         dnnl.engine(), prop_kind.backward.value, descriptor, descriptor, descriptor, EPSILON,
                         SCALE_AND_SHIFT, hint)) {
                statistics = new batch_normalization_forward(forward);
                backward = new batch_normalization_backward(back);
            }
            centreAndScale = centreAndScale(descriptor, channels);
        }

        private batch_normalization_forward.primitive_desc forward(memory.desc descriptor, int flags) {
            return new batch_normalization_forward.primitive_desc(dnnl.engine(), prop_kind.forward_training.value,
                    descriptor, descriptor, EPSILON, flags);
        }

        /** {@code (x - centre) * factor}: a subtraction with the multiplication as post-op. */
        private primitive centreAndScale(memory.desc descriptor, int channels) {
            memory.desc perChannel = Descriptors.perChannel(channels);
            try (post_ops operations = new post_ops(); primitive_attr attributes = new primitive_attr()) {
                operations.append_binary(algorithm.binary_mul, perChannel);
                attributes.set_post_ops(operations);
                try (binary.primitive_desc descriptorOfBinary = new binary.primitive_desc(dnnl.engine(),
                        algorithm.binary_sub, descriptor, perChannel, descriptor, attributes, false)) {
                    return new binary(descriptorOfBinary);
                }
            }
        }

        /** Each channel's mean and (1/n) variance of {@code x}; {@code scratch} receives oneDNN's normalised values. */
        void statistics(ActivationTensor x, ActivationTensor scratch) {
            dnnl.execute(statistics, Arg.src(x.memory()), Arg.dst(scratch.memory()),
                    new Arg(DNNL_ARG_MEAN, mean.vector()), new Arg(DNNL_ARG_VARIANCE, variance.vector()));
        }

        void centreAndScale(ActivationTensor source, ActivationTensor destination, ChannelVector centre,
                            ChannelVector by) {
            dnnl.execute(centreAndScale, Arg.src(source.memory()), Arg.src1(centre.broadcast()),
                    Arg.postOpOperand(0, by.broadcast()), Arg.dst(destination.memory()));
        }

        /** oneDNN's backward with {@link #zeros} as mean, {@link #variance} as σ² and {@link #scales} as γ. */
        void backward(ActivationTensor normalized, ActivationTensor delta) {
            dnnl.execute(backward, Arg.src(normalized.memory()), new Arg(DNNL_ARG_MEAN, zeros.vector()),
                    new Arg(DNNL_ARG_VARIANCE, variance.vector()), new Arg(DNNL_ARG_SCALE, scales.vector()),
                    new Arg(DNNL_ARG_DIFF_DST, delta.memory()), new Arg(DNNL_ARG_DIFF_SRC, delta.memory()),
                    new Arg(DNNL_ARG_DIFF_SCALE, scaleGradient.vector()),
                    new Arg(DNNL_ARG_DIFF_SHIFT, shiftGradient.vector()));
        }

        @Override
        public void close() {
            statistics.close();
            centreAndScale.close();
            backward.close();
            List.of(mean, variance, factor, zeros, scales, scaleGradient, shiftGradient).forEach(ChannelVector::close);
        }
    }
}
