package org.jdarknet.backend;

/**
 * Batch normalisation while training, as darknet does it: statistics of the current batch
 * (variance with the n-1 divisor), rolling averages updated by 1%, and what backward needs kept.
 *
 * @param scales          learned per-channel scales
 * @param rollingMean     updated: {@code .99*rolling + .01*batch}
 * @param rollingVariance updated likewise
 * @param mean            this batch's per-channel mean (written)
 * @param variance        this batch's per-channel variance (written)
 * @param input           the values before normalisation (written; darknet's {@code x})
 * @param normalized      the values after normalisation, before scaling (written; {@code x_norm})
 * @param scaleGradient   accumulates the scales' gradient in backward
 * @param meanDelta       scratch for backward, per channel
 * @param varianceDelta   scratch for backward, per channel
 */
public record BatchNormTraining(Tensor scales, Tensor rollingMean, Tensor rollingVariance, Tensor mean, Tensor variance,
                                Tensor input, Tensor normalized, Tensor scaleGradient, Tensor meanDelta,
                                Tensor varianceDelta, BatchNormStyle style) {
}
