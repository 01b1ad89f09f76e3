package org.jdarknet.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.jdarknet.backend.reference.ReferenceBackend;
import org.jdarknet.image.ImageLoader;
import org.jdarknet.image.Preprocessing;
import org.jdarknet.layers.Layer;
import org.jdarknet.layers.SoftmaxLayer;
import org.jdarknet.net.Network;
import org.jdarknet.weights.WeightsReader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reference backend against the committed goldens (see {@link GoldenWriter}), so conformance
 * is checked even where darknet is not installed. Darknet goldens are matched bit for bit up to the
 * softmax (whose vectorised {@code expf} differs by ulps); the float64 numpy goldens within 1e-5
 * of each layer's largest magnitude, and probabilities within 1e-6.
 */
class GoldenTest {
    private static final double SOFTMAX_TOLERANCE = 1e-6;
    private static final double RELATIVE_TOLERANCE = 1e-5;

    static Stream<String> models() {
        return GoldenWriter.models().stream();
    }

    @ParameterizedTest
    @MethodSource("models")
    void referenceBackendMatchesTheGolden(String model) throws Exception {
        Golden golden = Golden.read(GoldenWriter.DIRECTORY.resolve(model + ".golden"));
        Path weights = TestModels.randomWeights(model);
        assertEquals(golden.header().get("weights-sha256"), Golden.sha256(Files.readAllBytes(weights)),
                "the seeded weights changed: regenerate the goldens (scripts/oracle/make-goldens.sh)");
        try (Network network = Network.build(TestModels.cfg(model), new ReferenceBackend(), 1)) {
            WeightsReader.load(network, weights);
            float[] input = Preprocessing.LETTERBOX.apply(ImageLoader.load(TestModels.image(golden.header().get("image"))),
                    network.config().width(), network.config().height()).data();
            assertEquals(golden.header().get("input-sha256"), Golden.sha256(input), "input tensor");
            network.forward(input);
            boolean exact = golden.exact();
            for (Golden.LayerSummary expected : golden.layers()) {
                Layer layer = network.layers().get(expected.index());
                exact &= !(layer instanceof SoftmaxLayer);
                if (layer.outputIsNextLayers()) {
                    continue; // it holds the next layer's output, which is compared
                }
                Golden.LayerSummary ours = Golden.LayerSummary.of(layer.index(), Golden.widen(network.layerOutput(layer.index())));
                compare(model + " layer " + layer.index() + " (" + layer.kind() + ")", ours, expected, exact);
            }
            double[] output = Golden.widen(network.output());
            for (int i = 0; i < output.length; i++) {
                double difference = Math.abs(output[i] - golden.output()[i]);
                int index = i;
                assertTrue(difference <= SOFTMAX_TOLERANCE,
                        () -> model + " output " + index + ": " + output[index] + " vs " + golden.output()[index]);
            }
        }
    }

    private static void compare(String what, Golden.LayerSummary ours, Golden.LayerSummary expected, boolean exact) {
        assertEquals(expected.count(), ours.count(), what + ": count");
        if (exact) {
            assertEquals(expected.sum(), ours.sum(), 0, what + ": sum");
            assertEquals(expected.sumOfSquares(), ours.sumOfSquares(), 0, what + ": sum of squares");
            for (int i = 0; i < expected.values().length; i++) {
                assertEquals((float) expected.values()[i], (float) ours.values()[i], 0, what + " at " + expected.positions()[i]);
            }
            return;
        }
        double tolerance = RELATIVE_TOLERANCE * Math.max(expected.maxAbs(), 1e-3);
        assertEquals(expected.maxAbs(), ours.maxAbs(), tolerance, what + ": largest magnitude");
        assertEquals(expected.sum() / expected.count(), ours.sum() / ours.count(), tolerance, what + ": mean");
        for (int i = 0; i < expected.values().length; i++) {
            assertEquals(expected.values()[i], ours.values()[i], tolerance, what + " at " + expected.positions()[i]);
        }
    }
}
