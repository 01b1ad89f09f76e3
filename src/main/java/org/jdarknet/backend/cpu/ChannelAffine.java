package org.jdarknet.backend.cpu;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jdarknet.backend.BatchNorm;
import org.jdarknet.backend.Epilogue;
import org.jdarknet.backend.Tensor;

/**
 * An epilogue's batch normalisation and bias as one multiply-add per channel:
 * {@code y = x*multiplier + shift} with {@code multiplier = scale/stddev} and
 * {@code shift = bias - mean*multiplier}, computed in double and rounded once. Darknet normalises,
 * scales and adds in three float steps; the folded form differs from it by a few units in the
 * last place, and lets a convolution absorb the multiplier into its weights (a float reorder
 * does that for float weights; {@link #scaleRows} in double for int8's, before quantising).
 *
 * @param multipliers per-channel factors, null when there is no batch normalisation (all ones)
 * @param shifts      per-channel terms (zeros when the epilogue has neither bias nor normalisation)
 */
record ChannelAffine(double[] multipliers, double[] shifts) {

    static ChannelAffine of(Epilogue epilogue, int channels) {
        double[] multipliers = epilogue.batchNorm() == null ? null : multipliers(epilogue.batchNorm(), channels);
        double[] shifts = new double[channels];
        if (epilogue.biases() != null) {
            FloatBuffer biases = ParameterTensor.of(epilogue.biases()).read();
            for (int c = 0; c < channels; c++) {
                shifts[c] = biases.get(c);
            }
        }
        if (multipliers != null) {
            FloatBuffer mean = ParameterTensor.of(epilogue.batchNorm().mean()).read();
            for (int c = 0; c < channels; c++) {
                shifts[c] -= mean.get(c) * multipliers[c];
            }
        }
        return new ChannelAffine(multipliers, shifts);
    }

    private static double[] multipliers(BatchNorm batchNorm, int channels) {
        FloatBuffer scales = ParameterTensor.of(batchNorm.scales()).read();
        FloatBuffer variance = ParameterTensor.of(batchNorm.variance()).read();
        double[] multipliers = new double[channels];
        for (int c = 0; c < channels; c++) {
            multipliers[c] = scales.get(c) * batchNorm.style().inverseStddev(variance.get(c));
        }
        return multipliers;
    }

    /** The parameter tensors {@code epilogue} reads: biases, then scales, mean and variance, each when present. */
    static List<ParameterTensor> parameters(Epilogue epilogue) {
        List<ParameterTensor> parameters = new ArrayList<>();
        if (epilogue.biases() != null) {
            parameters.add(ParameterTensor.of(epilogue.biases()));
        }
        BatchNorm batchNorm = epilogue.batchNorm();
        if (batchNorm != null) {
            for (Tensor tensor : List.of(batchNorm.scales(), batchNorm.mean(), batchNorm.variance())) {
                parameters.add(ParameterTensor.of(tensor));
            }
        }
        return parameters;
    }

    /**
     * Writes {@code weights} into {@code out} with row {@code r} (one output channel's
     * {@code weights.limit()/channels} values) multiplied by {@code multipliers[r]}; the weights
     * themselves without normalisation. Row by row through a small array: darknet53's weights
     * are 166 MB, which a whole scaled copy would add to the heap on the way to native memory.
     */
    void scaleRows(FloatBuffer weights, FloatBuffer out) {
        if (multipliers == null) {
            out.put(weights);
            return;
        }
        int row = weights.limit() / multipliers.length;
        float[] scaled = new float[row];
        for (int r = 0; r < multipliers.length; r++) {
            double multiplier = multipliers[r];
            weights.get(r * row, scaled);
            for (int i = 0; i < row; i++) {
                scaled[i] = (float) (scaled[i] * multiplier);
            }
            out.put(scaled);
        }
    }

    /** The multipliers rounded to float, all ones when there is no normalisation. */
    float[] floatMultipliers() {
        if (multipliers == null) {
            float[] ones = new float[shifts.length];
            Arrays.fill(ones, 1f);
            return ones;
        }
        return round(multipliers);
    }

    float[] floatShifts() {
        return round(shifts);
    }

    private static float[] round(double[] values) {
        float[] rounded = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            rounded[i] = (float) values[i];
        }
        return rounded;
    }
}
