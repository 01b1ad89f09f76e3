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

    @Override
    default void close() {
    }
}
