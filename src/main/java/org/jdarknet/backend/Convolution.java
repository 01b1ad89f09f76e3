package org.jdarknet.backend;

/**
 * A convolution prepared by a backend for one {@link ConvolutionSpec}, created by
 * {@link Backend#convolution}. Its linear part is the grouped convolution of the input with
 * weights of {@link ConvolutionSpec#weights} (filters × c/groups × size × size).
 */
public interface Convolution extends WeightedOperation {
    ConvolutionSpec spec();
}
