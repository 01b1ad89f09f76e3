package org.jdarknet.backend.cpu;

import java.nio.FloatBuffer;
import org.jdarknet.backend.Shape;

/**
 * Darknet's shortcut, {@code output = alpha*output + beta*from}. Equal shapes (the residual
 * blocks) are one in-place oneDNN sum ({@link Accumulate}). Unequal shapes follow darknet's
 * sampling rule (see {@code ReferenceBackend.shortcut}) in a Java loop over the common channels,
 * which touches only real values, so padding lanes stay zero.
 */
final class Shortcut {
    private final Accumulate accumulate;

    Shortcut(Accumulate accumulate) {
        this.accumulate = accumulate;
    }

    void apply(ActivationTensor from, float alpha, float beta, ActivationTensor output) {
        if (from.shape().equals(output.shape())) {
            accumulate.apply(from, alpha, beta, output);
        } else {
            sampled(from, alpha, beta, output);
        }
    }

    /**
     * The larger tensor is visited at every {@code w_larger/w_smaller}-th cell, the smaller at
     * every cell, over the channels both have. Channels are the inner loop: in every layout
     * neighbouring channels of a cell are close in memory (adjacent, or a block apart when planar).
     */
    private static void sampled(ActivationTensor from, float alpha, float beta, ActivationTensor output) {
        Shape a = from.shape();
        Shape o = output.shape();
        int stride = Math.max(1, a.w() / o.w());
        int sample = Math.max(1, o.w() / a.w());
        int channels = Math.min(a.c(), o.c());
        FloatBuffer add = from.values();
        FloatBuffer out = output.values();
        for (int b = 0; b < o.n(); b++) {
            for (int j = 0; j < Math.min(a.h(), o.h()); j++) {
                for (int i = 0; i < Math.min(a.w(), o.w()); i++) {
                    for (int k = 0; k < channels; k++) {
                        int outIndex = output.layout().offset(b, k, j * sample, i * sample);
                        int addIndex = from.layout().offset(b, k, j * stride, i * stride);
                        out.put(outIndex, alpha * out.get(outIndex) + beta * add.get(addIndex));
                    }
                }
            }
        }
    }
}
