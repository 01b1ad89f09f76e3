package org.jdarknet.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jdarknet.ZooCfgs;
import org.jdarknet.classify.TopK;
import org.jdarknet.image.ImageLoader;
import org.jdarknet.image.Preprocessing;
import org.jdarknet.layers.Layer;
import org.jdarknet.net.NetConfig;
import org.jdarknet.net.Network;
import org.jdarknet.weights.RandomWeights;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every zoo model on the tested backend, in each variant, against the reference backend, with the
 * conformance tests' seeded random weights (same seed, same generator, head calibrated to the
 * same logit spread): identical top-5, probabilities within {@link Tolerances#probability}, and
 * every layer's output within {@link Tolerances#zooLayer} of its largest magnitude (but a
 * convolution's that holds the shortcut after it, {@link Layer#outputIsNextLayers}: the shortcut's
 * is compared). The small
 * models run on all sample images at their own size; the large ones, slow on the plain-Java
 * reference backend, on one image at {@value #REDUCED}×{@value #REDUCED} ({@link ZooCfgs}):
 * every layer and geometry but the spatial size is the same.
 */
public abstract class ZooConformance extends BackendConformance {
    private static final long SEED = 2024;
    private static final double LOGIT_STD = 2.5;
    private static final List<String> SMALL = List.of("tiny", "darknet", "darknet19");
    private static final List<String> LARGE = List.of("darknet53", "resnet50", "resnet101", "resnet152", "densenet121",
            "densenet201", "cspdarknet53");
    private static final int REDUCED = 128;
    private static final List<String> IMAGES = List.of("dog.jpg", "eagle.jpg", "giraffe.jpg", "horses.jpg");

    /**
     * What a network computed on the images: every layer's output on the first (null for a layer
     * whose output is the next layer's), the probabilities on each.
     */
    private record Outputs(List<float[]> layers, List<float[]> probabilities) {

        static Outputs of(Network network, List<String> images) {
            List<float[]> layers = new ArrayList<>();
            List<float[]> probabilities = new ArrayList<>();
            for (String image : images) {
                network.forward(input(network.config(), image));
                if (layers.isEmpty()) {
                    network.layers().forEach(layer -> layers.add(layer.outputIsNextLayers() ? null
                            : network.layerOutput(layer.index())));
                }
                probabilities.add(network.output());
            }
            return new Outputs(layers, probabilities);
        }
    }

    static Stream<Arguments> models() {
        return Stream.concat(SMALL.stream().map(model -> Arguments.of(model, IMAGES)),
                LARGE.stream().map(model -> Arguments.of(model, IMAGES.subList(0, 1))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void agreesWithTheReference(String model, List<String> images) {
        Path cfg = LARGE.contains(model) ? ZooCfgs.resized(model, REDUCED) : Path.of("cfg", model + ".cfg");
        try (Network reference = Network.build(cfg, pairs.get(0).reference, 1)) {
            seededWeights(reference, pairs.get(0).tested);
            Outputs expected = Outputs.of(reference, images);
            for (BackendPair pair : wholeNetworkPairs()) {
                try (Network tested = Network.build(cfg, pair.tested, 1)) {
                    copyParameters(reference, tested);
                    String what = model + " on " + pair.name();
                    double worst = assertAgree(expected, Outputs.of(tested, images), reference.layers(), what);
                    System.out.printf("%s: layers agree within %.1e of their largest magnitude, on %d image(s)%n",
                            what, worst, images.size());
                }
            }
        }
    }

    private List<BackendPair> wholeNetworkPairs() {
        Set<String> names = subject().wholeNetworkVariants().stream().map(BackendUnderTest.Variant::name)
                .collect(Collectors.toSet());
        return pairs.stream().filter(pair -> names.contains(pair.name())).toList();
    }

    /**
     * Darknet's seeded random weights as the conformance tests make them; the head's calibration
     * pass (one forward) runs on the tested backend, where it is fast.
     */
    private static void seededWeights(Network reference, Backend tested) {
        RandomWeights.fill(reference, SEED);
        try (Network calibrated = Network.build(reference.cfgFile(), tested, 1)) {
            copyParameters(reference, calibrated);
            NetConfig config = calibrated.config();
            float[] pattern = RandomWeights.testPattern(config.width(), config.height(), config.channels());
            RandomWeights.calibrateHead(calibrated, pattern, LOGIT_STD);
            copyParameters(calibrated, reference);
        }
    }

    private static float[] input(NetConfig config, String image) {
        return Preprocessing.LETTERBOX.apply(ImageLoader.load(Path.of("data", image)), config.width(), config.height())
                .data();
    }

    /** Asserts the agreement and returns the largest layer difference relative to that layer's largest magnitude. */
    private double assertAgree(Outputs expected, Outputs actual, List<Layer> layers, String what) {
        double worst = 0;
        for (Layer layer : layers) {
            int index = layer.index();
            if (expected.layers().get(index) == null || actual.layers().get(index) == null) {
                continue;
            }
            worst = Math.max(worst, assertLayerAgrees(expected.layers().get(index), actual.layers().get(index),
                    what + " layer " + index + " (" + layer.kind() + ")"));
        }
        for (int image = 0; image < expected.probabilities().size(); image++) {
            assertOutputsAgree(expected.probabilities().get(image), actual.probabilities().get(image),
                    what + " on image " + image);
        }
        return worst;
    }

    private double assertLayerAgrees(float[] expected, float[] actual, String what) {
        return assertLayerAgrees(expected, actual, tolerances().zooLayer(), what);
    }

    /**
     * Asserts that a layer's output is within {@code tolerance} of the expected one's largest
     * magnitude, and returns the largest difference relative to it.
     */
    public static double assertLayerAgrees(float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + ": values");
        double largest = 0;
        double difference = 0;
        for (int i = 0; i < expected.length; i++) {
            largest = Math.max(largest, Math.abs(expected[i]));
            difference = Math.max(difference, Math.abs((double) expected[i] - actual[i]));
        }
        double relative = difference / Math.max(largest, Float.MIN_NORMAL);
        double found = difference;
        double scale = largest;
        assertTrue(relative <= tolerance, () -> what + ": largest difference " + found + " is " + relative
                + " of its largest magnitude " + scale);
        return relative;
    }

    private void assertOutputsAgree(float[] expected, float[] actual, String what) {
        assertArrayEquals(TopK.of(expected, 5), TopK.of(actual, 5), what + ": top-5");
        assertEquals(expected.length, actual.length, what + ": outputs");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tolerances().probability(), what + ": probability " + i);
        }
    }
}
