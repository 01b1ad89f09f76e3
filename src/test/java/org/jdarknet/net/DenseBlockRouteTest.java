package org.jdarknet.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.jdarknet.backend.BackendPair;
import org.jdarknet.backend.RouteCopies;
import org.jdarknet.backend.reference.ReferenceBackend;
import org.jdarknet.weights.RandomWeights;
import org.junit.jupiter.api.Test;

/**
 * Routes built for inference concatenate without copying: their sources write into the route's
 * output (nested routes into one buffer), except a source routed twice, and the network computes
 * exactly what the copying path does. Training keeps copying.
 */
class DenseBlockRouteTest {
    private static final Path CFG = Path.of("src/test/resources/cfg/dense-blocks.cfg");
    /** Every (route, source) pair of the cfg: 2 + 2 + 2 + 1 + 2 + 2. */
    private static final int SOURCES = 11;

    @Test
    void onlyALayerRoutedTwiceIsCopiedAndTheOutputsAreThoseOfTheCopyingPath() {
        RouteCopies viewed = RouteCopies.counting(new ReferenceBackend());
        RouteCopies copying = RouteCopies.withoutViews(new ReferenceBackend());
        try (Network network = Network.build(CFG, viewed.backend(), 2);
             Network copied = Network.build(CFG, copying.backend(), 2)) {
            RandomWeights.fill(network, 11);
            RandomWeights.fill(copied, 11);
            float[] images = BackendPair.random(13, network.inputShape().size(), 0.5);
            network.forward(images);
            copied.forward(images);
            assertEquals(2, viewed.take(), "copies with views: layer 11, into routes 12 and 13");
            assertEquals(SOURCES, copying.take(), "copies without views");
            for (int layer = 0; layer < network.layers().size(); layer++) {
                assertArrayEquals(copied.layerOutput(layer), network.layerOutput(layer), "layer " + layer);
            }
        }
    }

    @Test
    void aNetworkBuiltForTrainingCopiesEverySource() {
        RouteCopies training = RouteCopies.counting(new ReferenceBackend());
        try (Network network = Network.buildForTraining(CFG, training.backend(), 2)) {
            RandomWeights.fill(network, 11);
            network.train(new float[network.inputShape().size()], new float[2 * 72]);
            assertEquals(SOURCES, training.take(), "copies in a training step");
        }
    }
}
