package org.jdarknet.backend;

import java.nio.FloatBuffer;

/**
 * The operations darknet's layers are made of. A layer says what it computes by calling these; a
 * backend decides where the numbers live and how the work is done. Implementations:
 * {@code reference} (plain Java, darknet's exact arithmetic, the oracle for the others),
 * {@code cpu} (fast CPU, oneDNN); a CUDA backend is meant to be a third, behind this same interface.
 *
 * <p>All activation tensors are logically batch × channels × height × width. Only
 * {@link #upload} and {@link #download} move values between Java arrays and the backend, and the
 * network uses them only at its edges (input, output, weights files).
 */
public interface Backend extends AutoCloseable {

    /** Short name as accepted by {@code --backend}, e.g. {@code reference}. */
    String name();

    /** One line for logs and benchmark tables: what runs the work and on how many threads. */
    String description();

    /**
     * Whether activation tensors and convolution workspaces live in the Java heap rather than in
     * native memory; parameters are Java arrays on every backend. A network's needs are checked
     * against the memory this names before anything is allocated.
     */
    default boolean activationsInJavaHeap() {
        return true;
    }

    /** A new zero-filled activation tensor (a layer's output, the network's input, their gradients). */
    Tensor allocate(Shape shape);

    /**
     * A new zero-filled tensor for learned values (weights, biases, batch-norm values) and their
     * gradients. Backends keep these in plain order; an operation that wants another layout derives
     * its own copy and must notice when the values change (after {@link #upload} or an update).
     */
    Tensor allocateParameter(Shape shape);

    /** Copies {@code values} (logical NCHW order, exactly {@code shape.size()} of them) into {@code tensor}. */
    default void upload(float[] values, Tensor tensor) {
        upload(FloatBuffer.wrap(values), tensor);
    }

    /**
     * Copies the values remaining in {@code values} (logical NCHW order, exactly
     * {@code shape.size()} of them) into {@code tensor}, leaving the buffer's position at its
     * limit. A mapped weights file goes into parameters this way without a copy in between.
     */
    void upload(FloatBuffer values, Tensor tensor);

    /** The tensor's values in logical NCHW order. */
    float[] download(Tensor tensor);

    void fill(Tensor tensor, float value);

    /** Copies all values of {@code source} into {@code destination}, which has the same shape. */
    void copy(Tensor source, Tensor destination);

    /** Prepares a convolution for one geometry; layers create theirs once and reuse it. */
    Convolution convolution(ConvolutionSpec spec);

    /**
     * A fully connected layer: {@code output[b][o] = epilogue(sum_i input[b][i] * weights[o][i])},
     * each batch item of {@code input} read as one flat vector, weights as outputs × inputs.
     */
    void connected(Tensor input, Tensor weights, Epilogue epilogue, Tensor output);

    /** Applies an epilogue (normalisation, bias, activation) in place. */
    void apply(Epilogue epilogue, Tensor tensor);

    /** Max pooling with darknet's window rules. */
    void maxPool(PoolSpec spec, Tensor input, Tensor output);

    /** Global average pooling: every channel of every item becomes its mean. */
    void averagePool(Tensor input, Tensor output);

    /**
     * Darknet's shortcut: {@code output = alpha*output + beta*from}, where {@code from} may have
     * another shape. Then the larger of the two is sampled at every {@code w_larger/w_smaller}-th
     * cell, only the common channels are touched, and nothing is projected.
     */
    void shortcut(Tensor from, float alpha, float beta, Tensor output);

    /** Copies all channels of {@code source} into {@code destination} from channel {@code offset} on (a route). */
    void copyChannels(Tensor source, Tensor destination, int offset);

    /**
     * Softmax over each of {@code groups} equal consecutive slices of every item (flat CHW order),
     * of {@code input/temperature}.
     */
    void softmax(Tensor input, int groups, float temperature, Tensor output);

    /**
     * Darknet's crop layer: the window of {@code output}'s size at ({@code top}, {@code left}),
     * mirrored when {@code flip}, times {@code scale} plus {@code shift}.
     */
    void crop(Tensor input, int top, int left, boolean flip, float scale, float shift, Tensor output);

    // ---------------------------------------------------------------- training
    // Gradients follow darknet's convention: a "delta" is minus the gradient of the loss (it points
    // from the prediction towards the truth), and every backward op adds to its destination.

    /**
     * Batch normalisation with the current batch's statistics, in place: keeps the input and the
     * normalised values, updates the rolling statistics, multiplies by the scales (no bias).
     */
    void batchNormForward(BatchNormTraining state, Tensor x);

    /**
     * Back through {@link #batchNormForward}: adds the scales' gradient and turns {@code delta}
     * (with respect to the scaled output) into the delta with respect to the input, in place.
     */
    void batchNormBackward(BatchNormTraining state, Tensor delta);

    /** {@code biasGradient[c] += sum over items and positions of delta[., c, ., .]}. */
    void biasGradient(Tensor delta, Tensor biasGradient);

    /**
     * {@code delta *= activation'}, from the output {@code y} (and the input {@code x} for the
     * activations that need it; null otherwise).
     */
    void activationGradient(Activation activation, Tensor x, Tensor y, Tensor delta);

    /**
     * Back through {@link #connected}: {@code weightGradient += delta^T input} and, unless
     * {@code inputDelta} is null, {@code inputDelta += delta weights}.
     */
    void connectedBackward(Tensor input, Tensor weights, Tensor delta, Tensor weightGradient, Tensor inputDelta);

    /** Back through {@link #maxPool}: each window's delta goes to the (first) largest input. */
    void maxPoolBackward(PoolSpec spec, Tensor input, Tensor delta, Tensor inputDelta);

    /** Back through {@link #averagePool}: each channel's delta spread evenly over its positions. */
    void averagePoolBackward(Tensor delta, Tensor inputDelta);

    /** Back through {@link #copyChannels}: {@code destination += source's channels from offset on}. */
    void addChannels(Tensor source, int offset, Tensor destination);

    /** {@code y += alpha * x} (same shapes). */
    void axpy(float alpha, Tensor x, Tensor y);

    /** {@code x *= factor}. */
    void scale(Tensor x, float factor);

    /**
     * Cross-entropy of softmax {@code probabilities} against {@code truth}: sets
     * {@code delta = truth - probabilities} and returns the summed loss (darknet's
     * {@code softmax_x_ent}: only positions with a non-zero truth add {@code -log p}).
     */
    float softmaxCrossEntropy(Tensor probabilities, Tensor truth, Tensor delta);

    /** A {@code [cost]} layer: sets {@code delta} and returns the summed error. */
    float cost(CostFunction function, Tensor prediction, Tensor truth, Tensor delta);

    /**
     * Training-time dropout in place: draws a uniform number per value into {@code mask} (from
     * {@code seed}); values whose number is below {@code probability} become 0, the rest are
     * scaled by {@code 1/(1-probability)}.
     */
    void dropout(Tensor x, Tensor mask, float probability, long seed);

    /** Back through {@link #dropout}, in place, with the same mask. */
    void dropoutBackward(Tensor mask, float probability, Tensor delta);

    /** Waits until all work issued so far has finished (for timing); a no-op for synchronous backends. */
    default void synchronize() {
    }

    /** Releases what the backend holds beyond its tensors (pools, handles). */
    @Override
    default void close() {
    }
}
