package org.jdarknet.backend.cpu;

import java.nio.FloatBuffer;
import org.jdarknet.backend.Activation;

/**
 * Applies an activation that oneDNN has no equivalent for, value by value in Java with darknet's
 * own formula ({@link Activation#apply}). Only real channels are touched: a blocked layout's
 * padding lanes must stay zero, and most of these functions are not zero at zero.
 *
 * <p>It runs on the calling thread alone: these activations are rare in real networks.
 */
final class JavaActivation {

    private JavaActivation() {
    }

    static void apply(Activation activation, ActivationTensor tensor) {
        Layout layout = tensor.layout();
        FloatBuffer values = tensor.values();
        for (int index = 0; index < values.limit(); index++) {
            if (layout.holdsValue(index)) {
                values.put(index, activation.apply(values.get(index)));
            }
        }
    }
}
