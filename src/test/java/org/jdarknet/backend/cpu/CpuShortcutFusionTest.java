package org.jdarknet.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.jdarknet.ZooCfgs;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.BackendConformance;
import org.jdarknet.backend.BackendUnderTest;
import org.jdarknet.backend.ZooConformance;
import org.jdarknet.backend.reference.ReferenceBackend;
import org.jdarknet.classify.TopK;
import org.jdarknet.image.ImageLoader;
import org.jdarknet.image.Preprocessing;
import org.jdarknet.layers.Layer;
import org.jdarknet.net.Network;
import org.jdarknet.weights.RandomWeights;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The residual networks with their shortcuts fused into oneDNN convolutions, in each layout whose
 * convolutions have real kernels here, against the reference backend computing every shortcut as
 * its own layer (a network built for training, which never fuses, run forward), on the zoo
 * conformance's seeded weights at 128×128: identical top-5, probabilities within 1e-4, and every
 * layer compared but the fused convolutions (whose tensor holds their shortcut's output, compared
 * as the shortcut's) within the zoo's layer tolerance.
 */
class CpuShortcutFusionTest {
    private static final double PROBABILITY = 1e-4;
    private static final double LOGIT_STD = 2.5;

    @BeforeAll
    static void available() {
        CpuBackendUnderTest.assumeAvailable();
    }

    @ParameterizedTest
    @ValueSource(strings = {"darknet53", "resnet50"})
    void fusedShortcutsAgreeWithSeparateOnesOnTheReference(String model) {
        Path cfg = ZooCfgs.resized(model, 128);
        double layerTolerance = CpuBackendUnderTest.INSTANCE.tolerances().zooLayer();
        try (Network separate = Network.buildForTraining(cfg, new ReferenceBackend(), 1)) {
            float[] image = Preprocessing.LETTERBOX.apply(ImageLoader.load(Path.of("data", "dog.jpg")), 128, 128).data();
            for (BackendUnderTest.Variant variant : CpuBackendUnderTest.INSTANCE.wholeNetworkVariants()) {
                try (Backend backend = variant.create().get(); Network fused = Network.build(cfg, backend, 1)) {
                    RandomWeights.fill(fused, 2024);
                    RandomWeights.calibrateHead(fused, RandomWeights.testPattern(128, 128, 3), LOGIT_STD);
                    BackendConformance.copyParameters(fused, separate);
                    fused.forward(image);
                    separate.forward(image);
                    String what = model + " in " + variant.name();
                    assertTrue(fused.layers().stream().anyMatch(Layer::outputIsNextLayers), what + ": shortcuts fused");
                    for (Layer layer : fused.layers()) {
                        if (!layer.outputIsNextLayers()) {
                            ZooConformance.assertLayerAgrees(separate.layerOutput(layer.index()),
                                    fused.layerOutput(layer.index()), layerTolerance, what + " layer " + layer.index());
                        }
                    }
                    float[] expected = separate.output();
                    float[] actual = fused.output();
                    assertArrayEquals(TopK.of(expected, 5), TopK.of(actual, 5), what + ": top-5");
                    for (int i = 0; i < expected.length; i++) {
                        assertEquals(expected[i], actual[i], PROBABILITY, what + ": probability " + i);
                    }
                }
            }
        }
    }
}
