package org.jdarknet.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.jdarknet.ZooCfgs;
import org.jdarknet.backend.BackendPair;
import org.jdarknet.backend.reference.ReferenceBackend;
import org.jdarknet.layers.Layer;
import org.jdarknet.layers.ShortcutLayer;
import org.jdarknet.weights.RandomWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A network built for inference computes a {@code [shortcut]} inside the convolution before it
 * when nothing else reads that convolution's output, whatever {@code from}'s shape; on
 * the reference backend it computes exactly what the separate layers compute (a network built for
 * training, which never fuses, run forward).
 */
class ShortcutFusionTest {
    private static final Path CFG = Path.of("src/test/resources/cfg/residual-blocks.cfg");

    @Test
    void onlyTheShortcutsAfterAConvolutionReadByNothingElseFuse() {
        try (Network network = Network.build(CFG, new ReferenceBackend(), 1)) {
            assertEquals(List.of(2, 5, 14, 16), fusedConvolutions(network), "the cfg's comments say why");
        }
    }

    @Test
    void everyShortcutOfDarknet53Fuses() {
        try (Network network = Network.build(ZooCfgs.resized("darknet53", 64), new ReferenceBackend(), 1)) {
            long shortcuts = network.layers().stream().filter(ShortcutLayer.class::isInstance).count();
            assertEquals(23, shortcuts);
            assertEquals(shortcuts, fusedConvolutions(network).size());
        }
    }

    @Test
    void everyShortcutOfResnet50FusesTheSampledOnesToo() {
        try (Network network = Network.build(ZooCfgs.resized("resnet50", 64), new ReferenceBackend(), 1)) {
            List<ShortcutLayer> shortcuts = network.layers().stream().filter(ShortcutLayer.class::isInstance)
                    .map(ShortcutLayer.class::cast).toList();
            assertEquals(16, shortcuts.size());
            assertEquals(4, shortcuts.stream().filter(s -> !s.from().outputShape().equals(s.outputShape())).count(),
                    "each stage's first block adds a from of another shape");
            assertEquals(shortcuts.size(), fusedConvolutions(network).size());
        }
    }

    @Test
    void aNetworkBuiltForTrainingFusesNothing() {
        try (Network network = Network.buildForTraining(CFG, new ReferenceBackend(), 2)) {
            assertEquals(List.of(), fusedConvolutions(network));
            RandomWeights.fill(network, 5);
            network.train(BackendPair.random(6, network.inputShape().size(), 0.5), new float[2 * 5]);
            assertEquals(List.of(), fusedConvolutions(network));
        }
    }

    @ParameterizedTest
    @CsvSource({"src/test/resources/cfg/residual-blocks.cfg, 0, 2", "darknet53, 64, 1", "resnet50, 64, 1"})
    void fusedIsBitForBitTheSeparateLayersOnTheReferenceBackend(String model, int size, int batch) {
        Path cfg = size == 0 ? Path.of(model) : ZooCfgs.resized(model, size);
        try (Network fused = Network.build(cfg, new ReferenceBackend(), batch);
             Network separate = Network.buildForTraining(cfg, new ReferenceBackend(), batch)) {
            RandomWeights.fill(fused, 3);
            RandomWeights.fill(separate, 3);
            float[] images = BackendPair.random(4, fused.inputShape().size(), 0.5);
            fused.forward(images);
            separate.forward(images);
            int compared = 0;
            for (Layer layer : fused.layers()) {
                if (!layer.outputIsNextLayers()) {
                    assertArrayEquals(separate.layerOutput(layer.index()), fused.layerOutput(layer.index()),
                            model + " layer " + layer.index() + " (" + layer.kind() + ")");
                    compared++;
                }
            }
            assertEquals(fused.layers().size() - fusedConvolutions(fused).size(), compared);
            assertArrayEquals(separate.output(), fused.output(), model + " output");
        }
    }

    /** The convolutions that compute the shortcut after them. */
    private static List<Integer> fusedConvolutions(Network network) {
        return network.layers().stream().filter(Layer::outputIsNextLayers).map(Layer::index).toList();
    }
}
