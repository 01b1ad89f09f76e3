package org.jdarknet.layers;

import java.util.List;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.BatchNorm;
import org.jdarknet.backend.BatchNormStyle;
import org.jdarknet.backend.Shape;

/**
 * The learned per-channel values of batch normalisation, in darknet's file order: scales,
 * rolling mean, rolling variance. Scales start at 1 and the statistics at 0, as in darknet.
 */
final class BatchNormParameters {
    private final Parameter scales;
    private final Parameter rollingMean;
    private final Parameter rollingVariance;

    BatchNormParameters(Backend backend, int channels) {
        scales = Parameter.batchNorm("scales", backend.allocateParameter(Shape.vector(channels)));
        rollingMean = Parameter.batchNorm("rolling_mean", backend.allocateParameter(Shape.vector(channels)));
        rollingVariance = Parameter.batchNorm("rolling_variance", backend.allocateParameter(Shape.vector(channels)));
        backend.fill(scales.value(), 1);
    }

    /** Inference-time normalisation with the rolling statistics. */
    BatchNorm withRollingStatistics(BatchNormStyle style) {
        return new BatchNorm(scales.value(), rollingMean.value(), rollingVariance.value(), style);
    }

    List<Parameter> list() {
        return List.of(scales, rollingMean, rollingVariance);
    }
}
