package org.jdarknet.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jdarknet.ZooCfgs;
import org.jdarknet.backend.reference.ReferenceBackend;
import org.jdarknet.conformance.Darknet;
import org.jdarknet.conformance.RawFloats;
import org.jdarknet.image.ImageLoader;
import org.jdarknet.image.Preprocessing;
import org.jdarknet.net.NetConfig;
import org.jdarknet.net.Network;
import org.jdarknet.weights.RandomWeights;
import org.jdarknet.weights.WeightsWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every zoo model exported (batch norm folded; kept as well for all but the four largest, up to
 * 230 MB of weights, which would double the test's time) and run by ONNX Runtime on the exact
 * tensor the reference backend classifies (darknet's letterbox of {@code data/dog.jpg}): the
 * probabilities agree within 1e-5 of the largest, with the same top-5. Where the C darknet is
 * installed, ONNX Runtime's output is also checked against libdarknet's own for the same cfg and
 * weights (every model but CSPDarknet53, whose mish pjreddie's darknet lacks).
 *
 * <p>Weights are seeded random ones, the head calibrated as the conformance tests calibrate it.
 * The reference backend is plain Java and slow, so the models beyond the small three run at a
 * reduced input size, {@value #REDUCED}×{@value #REDUCED} (a copy of the cfg with another
 * width and height): every layer is still exercised (five downsamplings leave 2×2 cells), only
 * with fewer cells.
 */
class OnnxZooTest {
    private static final long SEED = 2024;
    private static final double LOGIT_STD = 2.5;
    private static final int REDUCED = 64;
    private static final List<String> FULL_SIZE = List.of("tiny", "darknet", "fashion-mnist");
    private static final List<String> REDUCED_SIZE = List.of("darknet19", "darknet53", "resnet50", "resnet101",
            "resnet152", "densenet121", "densenet201", "cspdarknet53");
    private static final List<String> FOLDED_ONLY = List.of("darknet53", "resnet101", "resnet152", "densenet201");
    private static final Path IMAGE = Path.of("data", "dog.jpg");

    static Stream<Arguments> models() {
        return Stream.concat(FULL_SIZE.stream().map(model -> Arguments.of(model, 0)),
                REDUCED_SIZE.stream().map(model -> Arguments.of(model, REDUCED)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void onnxRuntimeAgreesWithTheReferenceAndDarknet(String model, int size) throws Exception {
        Path cfg = size == 0 ? Path.of("cfg", model + ".cfg") : ZooCfgs.resized(model, size);
        try (Network network = Network.build(cfg, new ReferenceBackend(), 1)) {
            NetConfig config = network.config();
            RandomWeights.fill(network, SEED);
            RandomWeights.calibrateHead(network, RandomWeights.testPattern(config.width(), config.height(), config.channels()),
                    LOGIT_STD);
            float[] input = input(config);
            float[] expected = network.output(input);
            int classes = expected.length;
            long[] shape = {1, config.channels(), config.height(), config.width()};
            float[] folded = run(network, ExportOptions.defaults(), input, shape);
            double worst = ExportFixture.assertSamePrediction(expected, folded, classes, model + " (folded)");
            if (!FOLDED_ONLY.contains(model)) {
                float[] kept = run(network, ExportOptions.defaults().withFoldBatchNorm(false), input, shape);
                worst = Math.max(worst, ExportFixture.assertSamePrediction(expected, kept, classes, model + " (kept)"));
            }
            System.out.printf("%s at %dx%d: ONNX Runtime agrees with the reference within %.1e of the largest probability%n",
                    model, config.width(), config.height(), worst);
            if (config.channels() == 3 && !model.equals("cspdarknet53") && Darknet.installed()) {
                float[] darknet = darknetOutput(network, model, input);
                ExportFixture.assertSamePrediction(darknet, folded, classes, model + " against libdarknet");
                System.out.printf("%s: ONNX Runtime agrees with libdarknet too%n", model);
            } else if (!Darknet.installed()) {
                System.err.println(model + ": the C darknet is not installed; ONNX Runtime checked against the reference only");
            }
        }
    }

    private static float[] run(Network network, ExportOptions options, float[] input, long[] shape) throws Exception {
        try (Ort ort = Ort.load(OnnxExporter.export(network, options).toByteArray())) {
            return ort.run(input, shape);
        }
    }

    /** The letterboxed sample image, as {@code classify} feeds it; the test pattern for a grey network. */
    private static float[] input(NetConfig config) {
        if (config.channels() != 3) {
            return RandomWeights.testPattern(config.width(), config.height(), config.channels());
        }
        return Preprocessing.LETTERBOX.apply(ImageLoader.load(IMAGE), config.width(), config.height()).data();
    }

    /** libdarknet's output for the same cfg and weights on the same image, after checking its input is ours. */
    private static float[] darknetOutput(Network network, String model, float[] input) throws Exception {
        Path weights = ExportFixture.directory().resolve(model + ".weights");
        WeightsWriter.save(network, weights);
        Path dump = ExportFixture.directory().resolve(model + "-darknet");
        try {
            Darknet.dumpLayers(network.cfgFile(), weights, IMAGE, dump);
        } finally {
            Files.delete(weights);
        }
        assertArrayEquals(input, RawFloats.read(dump.resolve("input.f32")), model + ": darknet's input tensor");
        return RawFloats.read(dump.resolve("output.f32"));
    }
}
