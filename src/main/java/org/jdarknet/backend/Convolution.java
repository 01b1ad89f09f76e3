package org.jdarknet.backend;

/**
 * A convolution prepared by a backend for one {@link ConvolutionSpec}: the place for whatever a
 * backend wants to decide once per shape (an algorithm, a primitive, a workspace, a weight
 * layout). Created by {@link Backend#convolution}.
 */
public interface Convolution extends AutoCloseable {
    ConvolutionSpec spec();

    /** {@code output = epilogue(conv(input, weights))}; weights are filters × c/groups × size × size. */
    void forward(Tensor input, Tensor weights, Epilogue epilogue, Tensor output);

    /**
     * Back through the convolution: {@code weightGradient += dL/dW} (as a delta) and, unless
     * {@code inputDelta} is null, {@code inputDelta += } the delta with respect to the input.
     */
    void backward(Tensor input, Tensor weights, Tensor delta, Tensor weightGradient, Tensor inputDelta);

    @Override
    default void close() {
    }
}
