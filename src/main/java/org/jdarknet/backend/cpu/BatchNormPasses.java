package org.jdarknet.backend.cpu;

import java.nio.FloatBuffer;
import org.jdarknet.backend.BatchNormStyle;
import org.jdarknet.backend.BatchNormTraining;
import org.jdarknet.backend.Tensor;

/**
 * Batch normalisation while training, as Java passes over the activation layout: the reference
 * backend's formulas (darknet's forward, the exact derivative backward), with the per-channel sums
 * in double ({@link ChannelSums}) and each pass shared out between the threads. Backward uses
 * {@code x - mean = normalized * divisor}, which spares it a read of the saved input.
 */
final class BatchNormPasses {
    /** Darknet's rolling averages: 99% of the old value, 1% of the batch's. */
    private static final float ROLLING_KEEP = .99f;
    private static final float ROLLING_TAKE = .01f;

    private final JavaThreads threads;

    BatchNormPasses(JavaThreads threads) {
        this.threads = threads;
    }

    void forward(BatchNormTraining state, ActivationTensor x) {
        ChannelSums sums = ChannelSums.of(threads, x, x);
        int channels = x.shape().c();
        long count = valuesPerChannel(x);
        float[] mean = values(state.mean());
        float[] variance = values(state.variance());
        float[] rollingMean = values(state.rollingMean());
        float[] rollingVariance = values(state.rollingVariance());
        float[] inverse = new float[channels];
        for (int c = 0; c < channels; c++) {
            double sum = sums.sums()[c];
            mean[c] = (float) (sum / count);
            // Rounding can take the difference of the two sums just below zero for a constant channel.
            variance[c] = (float) Math.max(0, (sums.products()[c] - sum * sum / count) / (count - 1));
            rollingMean[c] = rollingMean[c] * ROLLING_KEEP + ROLLING_TAKE * mean[c];
            rollingVariance[c] = rollingVariance[c] * ROLLING_KEEP + ROLLING_TAKE * variance[c];
            inverse[c] = (float) (1 / state.style().divisor(variance[c]));
        }
        changed(state.mean(), state.variance(), state.rollingMean(), state.rollingVariance());
        normalize(x, ActivationTensor.of(state.input()), ActivationTensor.of(state.normalized()), mean, inverse,
                values(state.scales()));
    }

    /** Keeps the input, then {@code normalized = (x - mean) / divisor} and {@code x = normalized * scale}. */
    private void normalize(ActivationTensor tensor, ActivationTensor input, ActivationTensor normalized, float[] mean,
                           float[] inverse, float[] scales) {
        Layout layout = tensor.layout();
        FloatBuffer x = tensor.values();
        FloatBuffer kept = input.values();
        FloatBuffer normal = normalized.values();
        int points = layout.shape().h() * layout.shape().w();
        int stride = layout.pointStride();
        threads.split(layout.segments(), (part, from, to) -> {
            for (int segment = from; segment < to; segment++) {
                int first = layout.segmentChannel(segment);
                int channels = layout.segmentChannels(segment);
                for (int point = 0, base = layout.segmentStart(segment); point < points; point++, base += stride) {
                    for (int j = 0, c = first; j < channels; j++, c++) {
                        float value = x.get(base + j);
                        kept.put(base + j, value);
                        float standardized = (value - mean[c]) * inverse[c];
                        normal.put(base + j, standardized);
                        x.put(base + j, standardized * scales[c]);
                    }
                }
            }
        });
    }

    /**
     * The scales' gradient {@code Σ delta·normalized}, then
     * {@code delta = delta·scale/divisor + varianceDelta·2(x - mean)/(n-1) + meanDelta/n}, with
     * meanDelta and varianceDelta as the reference backend computes them.
     */
    void backward(BatchNormTraining state, ActivationTensor delta) {
        ActivationTensor normalized = ActivationTensor.of(state.normalized());
        ChannelSums sums = ChannelSums.of(threads, delta, normalized);
        int channels = delta.shape().c();
        long count = valuesPerChannel(delta);
        BatchNormStyle style = state.style();
        float[] scales = values(state.scales());
        float[] variance = values(state.variance());
        float[] scaleGradient = values(state.scaleGradient());
        float[] meanDelta = values(state.meanDelta());
        float[] varianceDelta = values(state.varianceDelta());
        float[] deltaFactor = new float[channels];
        float[] normalizedFactor = new float[channels];
        float[] shift = new float[channels];
        for (int c = 0; c < channels; c++) {
            scaleGradient[c] += (float) sums.products()[c];
            double divisor = style.divisor(variance[c]);
            meanDelta[c] = (float) (-scales[c] * sums.sums()[c] / divisor);
            varianceDelta[c] = (float) (-scales[c] * sums.products()[c] / divisor * style.divisorSlope(variance[c]));
            deltaFactor[c] = (float) (scales[c] / divisor);
            normalizedFactor[c] = (float) (varianceDelta[c] * 2.0 * divisor / (count - 1));
            shift[c] = (float) (meanDelta[c] / (double) count);
        }
        changed(state.scaleGradient(), state.meanDelta(), state.varianceDelta());
        combine(delta, normalized, deltaFactor, normalizedFactor, shift);
    }

    /** {@code delta = delta·deltaFactor + normalized·normalizedFactor + shift}, per channel. */
    private void combine(ActivationTensor delta, ActivationTensor normalized, float[] deltaFactor,
                         float[] normalizedFactor, float[] shift) {
        Layout layout = delta.layout();
        FloatBuffer d = delta.values();
        FloatBuffer normal = normalized.values();
        int points = layout.shape().h() * layout.shape().w();
        int stride = layout.pointStride();
        threads.split(layout.segments(), (part, from, to) -> {
            for (int segment = from; segment < to; segment++) {
                int first = layout.segmentChannel(segment);
                int channels = layout.segmentChannels(segment);
                for (int point = 0, base = layout.segmentStart(segment); point < points; point++, base += stride) {
                    for (int j = 0, c = first; j < channels; j++, c++) {
                        d.put(base + j, d.get(base + j) * deltaFactor[c] + normal.get(base + j) * normalizedFactor[c]
                                + shift[c]);
                    }
                }
            }
        });
    }

    private static long valuesPerChannel(ActivationTensor tensor) {
        return (long) tensor.shape().n() * tensor.shape().h() * tensor.shape().w();
    }

    private static float[] values(Tensor tensor) {
        return ParameterTensor.of(tensor).values();
    }

    private static void changed(Tensor... tensors) {
        for (Tensor tensor : tensors) {
            ParameterTensor.of(tensor).changed();
        }
    }
}
