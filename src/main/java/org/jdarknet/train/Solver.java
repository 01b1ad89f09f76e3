package org.jdarknet.train;

import org.jdarknet.backend.Backend;
import org.jdarknet.layers.Layer;
import org.jdarknet.layers.Parameter;
import org.jdarknet.net.Network;
import org.jdarknet.net.SolverConfig;

/**
 * Darknet's SGD step ({@code update_*_layer}): the accumulated gradients (summed over the
 * {@code batch} images since the last step) are applied with momentum and weight decay:
 * <pre>
 *   gradient += -decay * batch * weights        (weights only)
 *   value    += rate * layerScale / batch * gradient
 *   gradient *= momentum                        (what remains is the momentum of the next step)
 * </pre>
 */
public final class Solver {
    private final SolverConfig config;

    public Solver(SolverConfig config) {
        this.config = config;
    }

    /** Applies one step at {@code rate} for gradients accumulated over {@code batch} images. */
    public void update(Network network, float rate, int batch) {
        Backend backend = network.backend();
        for (Layer layer : network.layers()) {
            float step = rate * layer.options().learningRateScale() / batch;
            for (Parameter parameter : layer.parameters()) {
                if (parameter.gradient() == null) {
                    continue;
                }
                if (parameter.decays()) {
                    backend.axpy(-config.decay() * batch, parameter.value(), parameter.gradient());
                }
                backend.axpy(step, parameter.gradient(), parameter.value());
                backend.scale(parameter.gradient(), config.momentum());
            }
        }
    }
}
