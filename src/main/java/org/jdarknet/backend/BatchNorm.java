package org.jdarknet.backend;

/** Per-channel normalisation parameters: {@code scale * (x - mean)/stddev(variance)}. */
public record BatchNorm(Tensor scales, Tensor mean, Tensor variance, BatchNormStyle style) {
}
