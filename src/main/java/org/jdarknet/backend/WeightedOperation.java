package org.jdarknet.backend;

/**
 * A matrix operation with learned weights, prepared by a backend for one geometry: the place for
 * whatever a backend decides once per shape (an algorithm, a primitive, a workspace, a weights
 * layout). Its two kinds are {@link Convolution} and {@link Connected}; a layer creates its own
 * once, reuses it for every pass and closes it. Weights and weight gradients are parameter
 * tensors ({@link Backend#allocateParameter}); the other arguments are activations.
 */
public interface WeightedOperation extends AutoCloseable {

    /** {@code output = epilogue(linear(input, weights))}, every value of {@code output} overwritten. */
    void forward(Tensor input, Tensor weights, Epilogue epilogue, Tensor output);

    /**
     * Back through {@link #forward} without its epilogue: {@code weightGradient +=} the delta with
     * respect to the weights and, unless {@code inputDelta} is null (the first layer),
     * {@code inputDelta +=} the delta with respect to the input. Both add to what is there.
     *
     * @param input the input of the forward pass
     * @param delta the delta of the raw (linear) output
     */
    void backward(Tensor input, Tensor weights, Tensor delta, Tensor weightGradient, Tensor inputDelta);

    @Override
    default void close() {
    }
}
