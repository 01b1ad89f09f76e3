package org.jdarknet.backend;

import java.util.Objects;

/** Per-channel normalisation parameters: {@code scale * (x - mean)/stddev(variance)}. */
public record BatchNorm(Tensor scales, Tensor mean, Tensor variance, BatchNormStyle style) {
    // Written out, not generated: see Shape#equals.
    @Override
    public boolean equals(Object other) {
        return other instanceof BatchNorm batchNorm && scales.equals(batchNorm.scales) && mean.equals(batchNorm.mean)
                && variance.equals(batchNorm.variance) && style == batchNorm.style;
    }

    @Override
    public int hashCode() {
        return Objects.hash(scales, mean, variance, style);
    }

}
