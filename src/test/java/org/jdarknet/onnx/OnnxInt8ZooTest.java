package org.jdarknet.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.jdarknet.ZooCfgs;
import org.jdarknet.backend.Precision;
import org.jdarknet.backend.Quantization;
import org.jdarknet.backend.cpu.CpuBackend;
import org.jdarknet.backend.reference.ReferenceBackend;
import org.jdarknet.calibration.Calibration;
import org.jdarknet.calibration.Calibrator;
import org.jdarknet.classify.TopK;
import org.jdarknet.image.ImageLoader;
import org.jdarknet.image.Preprocessing;
import org.jdarknet.layers.ConvolutionalLayer;
import org.jdarknet.layers.Layer;
import org.jdarknet.net.NetConfig;
import org.jdarknet.net.Network;
import org.jdarknet.onnx.proto.Onnx.AttributeProto;
import org.jdarknet.onnx.proto.Onnx.ModelProto;
import org.jdarknet.onnx.proto.Onnx.NodeProto;
import org.jdarknet.weights.RandomWeights;
import org.jdarknet.weights.WeightsReader;
import org.jdarknet.weights.WeightsWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Zoo models exported as int8 (QDQ) models, calibrated on the sample image they then classify
 * (ranges measured on the reference backend, the head kept fp32), and run by ONNX Runtime:
 * tiny at its own size, darknet53 (leaky, shortcuts) at {@value #REDUCED}×{@value #REDUCED}
 * as OnnxZooTest runs the big models. Weights are seeded random ones, the head calibrated as
 * the conformance tests calibrate it.
 */
class OnnxInt8ZooTest {
    private static final long SEED = 2024;
    private static final double LOGIT_STD = 2.5;
    private static final int REDUCED = 64;
    private static final Path IMAGE = Path.of("data", "dog.jpg");
    /**
     * How far int8 may move a probability, relative to the largest fp32 one: each int8 input is
     * rounded by up to 0.4% of its range (half a step of 1/127), compounded over up to 52 layers;
     * measured here, tiny's moved by 1.9e-2 and darknet53's (at 64×64) by 1.2e-2.
     */
    private static final double PROBABILITY_BOUND = 0.1;
    /** Of the fp32 top-5, at least this many stay in the int8 top-5. */
    private static final int TOP5_OVERLAP = 4;
    /**
     * The same bound for the fused model, whose convolutions' outputs before the activation are
     * quantised too: one more rounding of half a step per quantised layer, of the same size as the
     * input's, so at most twice the error the bound above allows for; the bound already has that
     * room (five times what was measured). Measured here (ONNX Runtime's exact integer kernels,
     * {@link Ort#loadExactIntegers}), tiny's moved by 1.6e-2 and darknet53's (at 64×64) by 1.8e-2.
     */
    private static final double FUSED_PROBABILITY_BOUND = PROBABILITY_BOUND;

    /**
     * (a) The int8 model's probabilities within {@value #PROBABILITY_BOUND} of the largest fp32 one
     * of the reference's, the same top-1 and a top-5 overlap of at least {@value #TOP5_OVERLAP}.
     * (b) Exactly Quantization's integers and float32 scales: every quantised layer's weights are the
     * fp32 model's folded weights (which OnnxZooTest proves right) quantised per output channel,
     * its input scale the range over 127; the head's weights stay the fp32 model's floats.
     * (c) ONNX Runtime's optimised graph still quantises every such convolution.
     * (d) With the Calibrator's ranges before the activations too (its input ranges are the ones
     * above), ONNX Runtime fuses every quantised convolution into a QLinearConv, and the fused
     * model's probabilities stay within {@value #FUSED_PROBABILITY_BOUND} of fp32's, same top-1, and
     * within the sum of the two bounds of jdarknet's own int8 (the cpu backend), which is held to
     * {@value #PROBABILITY_BOUND} of fp32 here too.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tiny", "darknet53"})
    void onnxRuntimeRunsTheInt8ModelCloseToTheReference(String model) throws Exception {
        Path cfg = model.equals("tiny") ? Path.of("cfg", "tiny.cfg") : ZooCfgs.resized(model, REDUCED);
        try (Network network = Network.build(cfg, new ReferenceBackend(), 1)) {
            NetConfig config = network.config();
            RandomWeights.fill(network, SEED);
            RandomWeights.calibrateHead(network, RandomWeights.testPattern(config.width(), config.height(), config.channels()),
                    LOGIT_STD);
            float[] input = Preprocessing.LETTERBOX.apply(ImageLoader.load(IMAGE), config.width(), config.height()).data();
            float[] ranges = Int8Fixture.ranges(network, input);
            float[] expected = network.output();
            ModelProto fp32 = OnnxExporter.export(network, ExportOptions.defaults());
            ModelProto int8 = OnnxExporter.export(network, ExportOptions.defaults().withInputRanges(layer -> ranges[layer]));
            int[] quantised = quantisedLayers(network, ranges);
            assertTrue(quantised.length > 0, model + ": some layer is quantised");
            assertSameIntegers(network, ranges, fp32, int8);
            float[] actual;
            try (Ort ort = Ort.load(int8.toByteArray())) {
                actual = ort.run(input, 1, config.channels(), config.height(), config.width());
            }
            double moved = ExportFixture.assertClose(expected, actual, PROBABILITY_BOUND, model + " int8 against fp32");
            int[] ours = TopK.of(expected, 5);
            int[] theirs = TopK.of(actual, 5);
            assertEquals(ours[0], theirs[0], model + ": top-1");
            long overlap = Arrays.stream(theirs).filter(c -> Arrays.stream(ours).anyMatch(o -> o == c)).count();
            assertTrue(overlap >= TOP5_OVERLAP, model + ": top-5 overlap " + overlap + " of 5");
            Map<String, Integer> optimised = Int8Fixture.optimisedOps(int8, model);
            int kept = optimised.getOrDefault("QuantizeLinear", 0) + optimised.getOrDefault("com.microsoft:QLinearConv", 0)
                    + optimised.getOrDefault("QLinearConv", 0) + optimised.getOrDefault("ConvInteger", 0);
            assertTrue(kept >= quantised.length, model + ": ONNX Runtime's optimised graph " + optimised + " quantises fewer than "
                    + quantised.length + " convolutions");
            System.out.printf("%s: %d of %d convolutions int8; probabilities within %.1e of the largest, top-1 equal, "
                    + "top-5 overlap %d; ONNX Runtime optimised it to %s%n", model, quantised.length,
                    network.layers().stream().filter(ConvolutionalLayer.class::isInstance).count(), moved, overlap, optimised);
            assertFusedModel(model, cfg, network, input, ranges, quantised.length);
        }
    }

    /** (d), on {@code network} (weights in place) having classified {@code input} in fp32. */
    private static void assertFusedModel(String model, Path cfg, Network network, float[] input, float[] ranges,
                                         int quantised) throws Exception {
        float[] expected = network.output();
        Calibrator calibrator = new Calibrator(network);
        calibrator.add(input);
        Calibration calibration = calibrator.result();
        for (int i = 0; i < ranges.length; i++) {
            if (!Float.isNaN(ranges[i])) {
                assertEquals(ranges[i], calibration.inputRange(i), model + ": layer " + i + "'s input range");
            }
        }
        ModelProto fused = OnnxExporter.export(network, ExportOptions.defaults().withInputRanges(layer -> ranges[layer])
                .withOutputRanges(calibration::preActivationRange));
        Map<String, Integer> optimised = Int8Fixture.optimisedOps(fused, model + "-fused");
        assertEquals(quantised, optimised.getOrDefault("com.microsoft:QLinearConv", 0) + optimised.getOrDefault("QLinearConv", 0),
                model + ": QLinearConv nodes in ONNX Runtime's optimised graph " + optimised);
        NetConfig config = network.config();
        float[] actual;
        try (Ort ort = Ort.loadExactIntegers(fused.toByteArray())) {
            actual = ort.run(input, 1, config.channels(), config.height(), config.width());
        }
        double moved = ExportFixture.assertClose(expected, actual, FUSED_PROBABILITY_BOUND, model + " fused int8 against fp32");
        assertEquals(TopK.of(expected, 1)[0], TopK.of(actual, 1)[0], model + ": fused top-1");
        float[] ours = jdarknetInt8(cfg, network, calibration, input);
        ExportFixture.assertClose(expected, ours, PROBABILITY_BOUND, model + " jdarknet's int8 against fp32");
        double apart = ExportFixture.assertClose(ours, actual, PROBABILITY_BOUND + FUSED_PROBABILITY_BOUND,
                model + " fused int8 against jdarknet's int8");
        System.out.printf("%s fused: ONNX Runtime optimised it to %s; probabilities within %.1e of fp32's largest, "
                + "%.1e of jdarknet's int8%n", model, optimised, moved, apart);
    }

    /** The probabilities of jdarknet's int8 (the cpu backend) with {@code network}'s weights and {@code calibration}. */
    private static float[] jdarknetInt8(Path cfg, Network network, Calibration calibration, float[] input) throws Exception {
        Optional<String> unavailable = CpuBackend.unavailableReason();
        unavailable.ifPresent(reason -> System.err.println("OnnxInt8ZooTest: jdarknet's int8 skipped: " + reason));
        assumeTrue(unavailable.isEmpty(), () -> "the cpu backend is unavailable: " + unavailable.orElseThrow());
        Path weights = ExportFixture.directory().resolve(cfg.getFileName() + ".weights");
        WeightsWriter.save(network, weights);
        try (Network int8 = Network.build(cfg, new CpuBackend(2, Precision.INT8), 1, calibration)) {
            WeightsReader.load(int8, weights);
            return int8.output(input);
        } finally {
            Files.delete(weights);
        }
    }

    private static int[] quantisedLayers(Network network, float[] ranges) {
        return IntStream.range(0, ranges.length)
                .filter(i -> network.layers().get(i) instanceof ConvolutionalLayer && !Float.isNaN(ranges[i])).toArray();
    }

    private static void assertSameIntegers(Network network, float[] ranges, ModelProto fp32, ModelProto int8) {
        for (Layer layer : network.layers()) {
            if (!(layer instanceof ConvolutionalLayer)) {
                continue;
            }
            int index = layer.index();
            float[] weights = Int8Fixture.floats(fp32, Int8Fixture.nodes(fp32, index, "Conv").get(0).getInput(1));
            NodeProto conv = Int8Fixture.nodes(int8, index, "Conv").get(0);
            if (Float.isNaN(ranges[index])) {
                assertArrayEquals(weights, Int8Fixture.floats(int8, conv.getInput(1)), "layer " + index + " stays fp32");
                assertEquals(List.of(), Int8Fixture.nodes(int8, index, "QuantizeLinear"), "layer " + index + " stays fp32");
                continue;
            }
            NodeProto quantize = Int8Fixture.nodes(int8, index, "QuantizeLinear").get(0);
            assertArrayEquals(new float[] {Quantization.activationScale(ranges[index])},
                    Int8Fixture.floats(int8, quantize.getInput(1)), "layer " + index + ": input scale");
            assertArrayEquals(new byte[1], Int8Fixture.int8s(int8, quantize.getInput(2)), "layer " + index + ": input zero point");
            NodeProto dequantize = Int8Fixture.nodes(int8, index, "DequantizeLinear").stream()
                    .filter(node -> node.getOutput(0).equals(conv.getInput(1))).findFirst().orElseThrow();
            int filters = ((ConvolutionalLayer) layer).spec().filters();
            float[] scales = Quantization.weightScales(weights, filters);
            byte[] integers = new byte[weights.length];
            for (int i = 0; i < weights.length; i++) {
                integers[i] = Quantization.quantize(weights[i], scales[i / (weights.length / filters)]);
            }
            assertArrayEquals(integers, Int8Fixture.int8s(int8, dequantize.getInput(0)), "layer " + index + ": int8 weights");
            assertArrayEquals(scales, Int8Fixture.floats(int8, dequantize.getInput(1)), "layer " + index + ": weight scales");
            assertArrayEquals(new byte[filters], Int8Fixture.int8s(int8, dequantize.getInput(2)), "layer " + index + ": zero points");
            assertEquals(List.of(0L), dequantize.getAttributeList().stream().filter(a -> a.getName().equals("axis"))
                    .map(AttributeProto::getI).toList(), "layer " + index + ": per output channel");
        }
    }
}
