package org.jdarknet.train;

import java.util.SplittableRandom;
import org.jdarknet.backend.Backend;
import org.jdarknet.layers.ConnectedLayer;
import org.jdarknet.layers.ConvolutionalLayer;
import org.jdarknet.layers.Layer;
import org.jdarknet.layers.Parameter;
import org.jdarknet.net.Network;

/**
 * Darknet's initial weights for training from scratch ({@code make_convolutional_layer},
 * {@code make_connected_layer}): convolution weights normal with variance {@code 2/fan-in}
 * (He initialisation), connected weights uniform in {@code ±sqrt(2/inputs)}; biases 0 and batch
 * norm scales 1 as built. Layers a weights file then loads are overwritten; the rest keep these.
 */
public final class Initializer {

    private Initializer() {
    }

    public static void initialize(Network network, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Backend backend = network.backend();
        for (Layer layer : network.layers()) {
            for (Parameter parameter : layer.parameters()) {
                if (parameter.kind() != Parameter.Kind.WEIGHTS) {
                    continue;
                }
                float[] values = new float[parameter.length()];
                if (layer instanceof ConvolutionalLayer conv) {
                    double scale = Math.sqrt(2.0 / conv.spec().weights().itemSize());
                    for (int i = 0; i < values.length; i++) {
                        values[i] = (float) (scale * normal(random));
                    }
                } else if (layer instanceof ConnectedLayer) {
                    double scale = Math.sqrt(2.0 / layer.inputShape().itemSize());
                    for (int i = 0; i < values.length; i++) {
                        values[i] = (float) (scale * (2 * random.nextDouble() - 1));
                    }
                }
                backend.upload(values, parameter.value());
            }
        }
    }

    /** Box-Muller, as darknet's rand_normal. */
    private static double normal(SplittableRandom random) {
        double u = 1.0 - random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
