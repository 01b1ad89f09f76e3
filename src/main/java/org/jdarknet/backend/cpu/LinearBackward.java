package org.jdarknet.backend.cpu;

import java.util.function.Supplier;
import org.bytedeco.dnnl.memory;

/**
 * Back through a convolution or an inner product: oneDNN's backward-weights and backward-data
 * primitives, each created on first use. The first layer never asks for its input's delta, so its
 * backward-data primitive and scratch are never made. Each prepared convolution and connected
 * layer keeps one.
 */
final class LinearBackward implements AutoCloseable {
    private final Supplier<BackwardWeights> createWeights;
    private final Supplier<BackwardData> createData;
    private BackwardWeights weights;
    private BackwardData data;

    LinearBackward(Supplier<BackwardWeights> createWeights, Supplier<BackwardData> createData) {
        this.createWeights = createWeights;
        this.createData = createData;
    }

    /**
     * Adds the weights' delta to {@code gradient} and, unless {@code inputDelta} is null, the
     * input's delta to {@code inputDelta}.
     *
     * @param input the forward input
     * @param delta the output's delta, as the primitives read it
     */
    void run(memory input, ParameterTensor layerWeights, memory delta, ParameterTensor gradient,
             ActivationTensor inputDelta) {
        if (weights == null) {
            weights = createWeights.get();
        }
        weights.add(input, delta, gradient);
        if (inputDelta != null) {
            if (data == null) {
                data = createData.get();
            }
            data.add(layerWeights, delta, inputDelta);
        }
    }

    @Override
    public void close() {
        if (weights != null) {
            weights.close();
        }
        if (data != null) {
            data.close();
        }
    }
}
