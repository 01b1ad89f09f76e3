package org.jdarknet.layers;

import org.jdarknet.backend.Tensor;

/**
 * A learned tensor of a layer, as it appears in a darknet weights file.
 *
 * @param name       darknet's name for it: biases, scales, rolling_mean, rolling_variance, weights
 * @param value      the values, owned by the backend
 * @param batchNorm  one of the scales/rolling_mean/rolling_variance triple ({@code dontloadscales} skips them)
 * @param transpose  when the file may hold this matrix transposed, and its shape there
 */
public record Parameter(String name, Tensor value, boolean batchNorm, Transpose transpose) {

    /** A plain vector or tensor that is never transposed. */
    public static Parameter of(String name, Tensor value) {
        return new Parameter(name, value, false, Transpose.NEVER);
    }

    public static Parameter batchNorm(String name, Tensor value) {
        return new Parameter(name, value, true, Transpose.NEVER);
    }

    public int length() {
        return value.shape().size();
    }

    /**
     * When a weights file stores a matrix transposed ({@code rows × columns} in the file, the
     * transpose in memory). Darknet transposes connected weights when the file's version says so,
     * and convolution weights when the cfg says {@code flipped=1}.
     */
    public record Transpose(Rule rule, int rows, int columns) {
        public static final Transpose NEVER = new Transpose(Rule.NEVER, 0, 0);

        public enum Rule { NEVER, WHEN_HEADER_SAYS, ALWAYS }

        public boolean applies(boolean headerSaysTransposed) {
            return rule == Rule.ALWAYS || (rule == Rule.WHEN_HEADER_SAYS && headerSaysTransposed);
        }
    }
}
