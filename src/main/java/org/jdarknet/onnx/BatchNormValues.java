package org.jdarknet.onnx;

import static org.jdarknet.onnx.GraphBuilder.attribute;

import java.util.List;
import org.jdarknet.backend.BatchNormStyle;

/**
 * A layer's batch normalisation with its rolling statistics, as darknet applies it at inference:
 * {@code scale * (x - mean) / divisor(var) + bias}, the divisor in the cfg's style (pjreddie's
 * {@code sqrt(var) + 1e-6} or AlexeyAB's {@code sqrt(var + 1e-5)}). Either folded into the
 * preceding weights and bias, or kept as an ONNX BatchNormalization, which divides by
 * {@code sqrt(var' + epsilon)}: for AlexeyAB's style that is the very formula with epsilon 1e-5;
 * for pjreddie's, epsilon is 0 and {@code var' = (sqrt(var) + 1e-6)²}, so the divisor is darknet's.
 */
final class BatchNormValues {
    private static final float ALEXEYAB_EPSILON = 1e-5f;

    private final float[] scales;
    private final float[] mean;
    private final float[] variance;
    private final BatchNormStyle style;

    BatchNormValues(float[] scales, float[] mean, float[] variance, BatchNormStyle style) {
        this.scales = scales;
        this.mean = mean;
        this.variance = variance;
        this.style = style;
    }

    int channels() {
        return scales.length;
    }

    /** {@code scale / divisor} per channel: what the normalisation multiplies by. */
    private double multiplier(int channel) {
        return scales[channel] / style.divisor(variance[channel]);
    }

    /** Weights with each channel's row (the weights producing that channel) multiplied by its multiplier. */
    float[] foldWeights(float[] weights) {
        int row = weights.length / channels();
        float[] folded = new float[weights.length];
        for (int c = 0; c < channels(); c++) {
            double multiplier = multiplier(c);
            for (int i = c * row; i < (c + 1) * row; i++) {
                folded[i] = (float) (weights[i] * multiplier);
            }
        }
        return folded;
    }

    /** {@code bias - mean * multiplier} per channel (a null bias counts as zero). */
    float[] foldBiases(float[] biases) {
        float[] folded = new float[channels()];
        for (int c = 0; c < channels(); c++) {
            folded[c] = (float) ((biases == null ? 0 : biases[c]) - mean[c] * multiplier(c));
        }
        return folded;
    }

    /** The multiplier per channel, as a float vector. */
    float[] multipliers() {
        float[] values = new float[channels()];
        for (int c = 0; c < channels(); c++) {
            values[c] = (float) multiplier(c);
        }
        return values;
    }

    /** A BatchNormalization node on {@code x} (channels on axis 1), adding {@code biases} (none when null). */
    String node(GraphBuilder graph, String x, float[] biases) {
        long n = channels();
        float[] bias = biases == null ? new float[channels()] : biases;
        float epsilon = style == BatchNormStyle.ALEXEYAB ? ALEXEYAB_EPSILON : 0;
        return graph.node("BatchNormalization", List.of(x, graph.floats("scales", scales, n), graph.floats("biases", bias, n),
                graph.floats("rolling_mean", mean, n), graph.floats("rolling_variance", onnxVariance(), n)),
                attribute("epsilon", epsilon));
    }

    /** The variance ONNX's {@code sqrt(var + epsilon)} turns into this style's divisor. */
    private float[] onnxVariance() {
        if (style == BatchNormStyle.ALEXEYAB) {
            return variance;
        }
        float[] values = new float[channels()];
        for (int c = 0; c < channels(); c++) {
            double divisor = style.divisor(variance[c]);
            values[c] = (float) (divisor * divisor);
        }
        return values;
    }
}
