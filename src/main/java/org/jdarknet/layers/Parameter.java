package org.jdarknet.layers;

import org.jdarknet.backend.Tensor;

/**
 * A tensor of values a layer keeps between images, as it appears in a darknet weights file, and,
 * when the network is built for training and the values are learned, its gradient (darknet's
 * {@code *_updates}: minus the gradient, accumulated over a batch, then decayed by momentum).
 *
 * @param name      darknet's name for it: biases, scales, rolling_mean, rolling_variance, weights
 * @param value     the values, owned by the backend
 * @param gradient  null unless training and {@code kind} is learned
 * @param transpose when the file may hold this matrix transposed, and its shape there
 */
public record Parameter(String name, Tensor value, Tensor gradient, Kind kind, Transpose transpose) {

    /** What the values are, which decides how the solver and the weights file treat them. */
    public enum Kind {
        /** Learned and shrunk by weight decay. */
        WEIGHTS,
        /** Learned, no decay. */
        BIASES,
        /** Batch-norm scales: learned, no decay; part of the batch-norm triple in files. */
        SCALES,
        /** Batch-norm rolling mean or variance: updated by the forward pass, not by the solver. */
        STATISTIC
    }

    /** One of the scales/rolling_mean/rolling_variance triple ({@code dontloadscales} skips them). */
    public boolean batchNorm() {
        return kind == Kind.SCALES || kind == Kind.STATISTIC;
    }

    public boolean decays() {
        return kind == Kind.WEIGHTS;
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
