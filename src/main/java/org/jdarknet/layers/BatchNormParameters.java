package org.jdarknet.layers;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.BatchNorm;
import org.jdarknet.backend.BatchNormTraining;
import org.jdarknet.backend.Shape;
import org.jdarknet.backend.Tensor;

/**
 * Batch normalisation inside a layer: the values a weights file holds (scales, rolling mean,
 * rolling variance, in that order; scales start at 1 and the statistics at 0, as in darknet) and,
 * when training, what the forward pass keeps for backward.
 */
final class BatchNormParameters {
    private final Parameter scales;
    private final Parameter rollingMean;
    private final Parameter rollingVariance;
    private final BatchNorm inference;
    private final BatchNormTraining training;

    BatchNormParameters(BuildContext context, Shape output) {
        Backend backend = context.backend();
        Shape channels = Shape.vector(output.c());
        scales = context.learned("scales", Parameter.Kind.SCALES, channels, Parameter.Transpose.NEVER);
        rollingMean = new Parameter("rolling_mean", backend.allocateParameter(channels), null,
                Parameter.Kind.STATISTIC, Parameter.Transpose.NEVER);
        rollingVariance = new Parameter("rolling_variance", backend.allocateParameter(channels), null,
                Parameter.Kind.STATISTIC, Parameter.Transpose.NEVER);
        backend.fill(scales.value(), 1);
        inference = new BatchNorm(scales.value(), rollingMean.value(), rollingVariance.value(), context.batchNormStyle());
        training = context.training()
                ? new BatchNormTraining(scales.value(), rollingMean.value(), rollingVariance.value(),
                        context.trainingVector(output.c()), context.trainingVector(output.c()),
                        context.trainingTensor(output), context.trainingTensor(output), scales.gradient(),
                        context.trainingVector(output.c()), context.trainingVector(output.c()), context.batchNormStyle())
                : null;
    }

    /** Normalisation with the rolling statistics, as inference uses it. */
    BatchNorm inference() {
        return inference;
    }

    /** Normalisation with batch statistics; null unless built for training. */
    BatchNormTraining training() {
        return training;
    }

    List<Parameter> list() {
        return List.of(scales, rollingMean, rollingVariance);
    }

    /** The scratch tensors training allocated (the parameters are closed with the layer's). */
    List<Tensor> scratch() {
        if (training == null) {
            return List.of();
        }
        return Stream.of(training.mean(), training.variance(), training.input(), training.normalized(),
                training.meanDelta(), training.varianceDelta()).filter(Objects::nonNull).toList();
    }
}
