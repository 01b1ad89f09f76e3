package org.jdarknet.backend;

/**
 * The operations darknet's layers are made of. A layer says what it computes by calling these; a
 * backend decides where the numbers live and how the work is done. Implementations:
 * {@code reference} (plain Java, darknet's exact arithmetic, the oracle for the others),
 * {@code cpu} (fast CPU) and {@code cuda}.
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

    /** A new zero-filled activation tensor (a layer's output, the network's input, their gradients). */
    Tensor allocate(Shape shape);

    /**
     * A new zero-filled tensor for learned values (weights, biases, batch-norm values) and their
     * gradients. Backends keep these in plain order; an operation that wants another layout derives
     * its own copy and must notice when the values change (after {@link #upload} or an update).
     */
    Tensor allocateParameter(Shape shape);

    /** Copies {@code values} (logical NCHW order, exactly {@code shape.size()} of them) into {@code tensor}. */
    void upload(float[] values, Tensor tensor);

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

    /** Waits until all work issued so far has finished (for timing); a no-op for synchronous backends. */
    default void synchronize() {
    }

    /** Releases what the backend holds beyond its tensors (pools, handles). */
    @Override
    default void close() {
    }
}
