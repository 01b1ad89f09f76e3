package org.jdarknet.backend;

/**
 * Symmetric int8 quantisation as jdarknet defines it, shared by the int8 CPU path and the int8
 * ONNX export so that both quantise to the same integers: {@code q = round(x / scale)} rounded half
 * to even and saturated to [-128, 127], zero point 0, with
 * <ul>
 *   <li>one scale per tensor of activations: the calibrated range (largest |x| seen) over 127;</li>
 *   <li>one scale per output channel of weights: that filter's largest |w| (after batch
 *       normalisation is folded in) over 127.</li>
 * </ul>
 */
public final class Quantization {
    /** The largest integer a value at the end of its range becomes. */
    public static final int LEVELS = 127;

    private Quantization() {
    }

    /** The scale of activations whose calibrated range is {@code range} (largest |x|). */
    public static float activationScale(float range) {
        if (!(range > 0) || Float.isInfinite(range)) {
            throw new IllegalArgumentException("an int8 range must be positive and finite, not " + range);
        }
        return range / LEVELS;
    }

    /**
     * One scale per output channel of {@code weights}, darknet's order (output channel first, each
     * {@code weights.length / outputs} values). A filter of zeros gets scale 1: any scale keeps it zero.
     */
    public static float[] weightScales(float[] weights, int outputs) {
        if (outputs < 1 || weights.length % outputs != 0) {
            throw new IllegalArgumentException(weights.length + " weights do not split into " + outputs + " filters");
        }
        int perFilter = weights.length / outputs;
        float[] scales = new float[outputs];
        for (int filter = 0; filter < outputs; filter++) {
            float largest = 0;
            for (int i = filter * perFilter; i < (filter + 1) * perFilter; i++) {
                largest = Math.max(largest, Math.abs(weights[i]));
            }
            scales[filter] = largest > 0 ? largest / LEVELS : 1f;
        }
        return scales;
    }

    /** {@code value} quantised with {@code scale}: rounded half to even, saturated to a signed byte. */
    public static byte quantize(float value, float scale) {
        float scaled = (float) Math.rint(value / scale);
        return (byte) Math.max(Byte.MIN_VALUE, Math.min(Byte.MAX_VALUE, scaled));
    }
}
