package org.jdarknet.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.TensorInfo;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.jdarknet.UsageException;
import org.jdarknet.backend.Activation;
import org.jdarknet.image.Preprocessing;
import org.jdarknet.layers.Layer;
import org.jdarknet.layers.Parameter;
import org.jdarknet.net.Network;
import org.jdarknet.weights.RandomWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each layer kind and activation exported alone (or nearly), run by ONNX Runtime on a seeded
 * input and compared with the reference backend's output for the same input: a failure names
 * the layer feature that is wrong rather than a zoo model.
 */
class OnnxLayersTest {
    private static final long SEED = 7;
    private static final double TOLERANCE = 1e-5;

    private static String net(int width, int height, int channels, String style) {
        return "[net]\nwidth=" + width + "\nheight=" + height + "\nchannels=" + channels + "\nbatchnorm_style=" + style + "\n\n";
    }

    private static String net(int width, int height, int channels) {
        return net(width, height, channels, "pjreddie");
    }

    /**
     * Each activation on values that cross all its break points (mish's ±20, plse's ±4, stair's
     * integers, ...): a 1×1 convolution with identity weights hands the input to it unchanged.
     */
    @ParameterizedTest
    @EnumSource(Activation.class)
    void activation(Activation activation) throws Exception {
        String cfg = net(16, 10, 3) + "[convolutional]\nfilters=3\nsize=1\nactivation=" + activation.cfgName() + "\n";
        try (Network network = ExportFixture.network("activation-" + activation.cfgName(), cfg, 1)) {
            Parameter weights = parameter(network.layers().get(0), "weights");
            network.backend().upload(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, weights.value());
            float[] input = activationInputs(network.inputShape().size());
            float[] expected = network.output(input);
            float[] actual = ortOutput(network, ExportOptions.defaults(), input);
            for (int i = 0; i < input.length; i++) {
                double tolerance = TOLERANCE * Math.max(1, Math.abs(expected[i]));
                int index = i;
                assertTrue(Math.abs(expected[i] - actual[i]) <= tolerance, () -> activation.cfgName() + "(" + input[index]
                        + ") is " + actual[index] + " in ONNX Runtime, " + expected[index] + " in jdarknet");
            }
        }
    }

    /** A grid over [-24, 24] in steps of 0.1 (near every integer and break point), then the break points exactly. */
    private static float[] activationInputs(int count) {
        float[] breaks = {-20, -4, -2, -1, -0.5f, 0, 0.5f, 1, 2, 4, 6, 20, -20.001f, 20.001f, 3.999f, -3.999f};
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = i < breaks.length ? breaks[i] : (float) (-24 + 0.1 * (i - breaks.length) + 0.003);
        }
        return values;
    }

    static Stream<Arguments> layers() {
        String conv = "[convolutional]\nbatch_normalize=1\nfilters=6\nsize=3\nstride=1\npad=1\nactivation=leaky\n\n";
        return Stream.of(
                Arguments.of("conv-groups-stride", net(11, 9, 6)
                        + "[convolutional]\nfilters=9\nsize=3\nstride=2\npadding=2\ngroups=3\nactivation=linear\n"),
                Arguments.of("conv-5x5-stride3", net(13, 10, 3) + "[convolutional]\nfilters=4\nsize=5\nstride=3\npad=1\nactivation=relu\n"),
                Arguments.of("connected", net(4, 5, 3) + "[connected]\noutput=10\nactivation=leaky\n\n"
                        + "[connected]\noutput=7\nbatch_normalize=1\nactivation=linear\n\n[connected]\noutput=3\nactivation=logistic\n"),
                Arguments.of("connected-then-conv", net(4, 4, 2) + "[connected]\noutput=6\nactivation=leaky\n\n"
                        + "[convolutional]\nfilters=2\nsize=1\nactivation=linear\n"),
                Arguments.of("maxpool-2-2", net(9, 7, 2) + "[maxpool]\nsize=2\nstride=2\n"),
                Arguments.of("maxpool-2-1", net(9, 7, 2) + "[maxpool]\nsize=2\nstride=1\n"),
                Arguments.of("maxpool-3-2", net(9, 7, 2) + "[maxpool]\nsize=3\nstride=2\n"),
                Arguments.of("maxpool-3-3-unpadded", net(11, 7, 2) + "[maxpool]\nsize=3\nstride=3\npadding=0\n"),
                Arguments.of("maxpool-padding-beyond-window", net(9, 7, 2) + "[maxpool]\nsize=2\nstride=2\npadding=5\n"),
                Arguments.of("maxpool-odd-padding", net(8, 6, 2) + "[maxpool]\nsize=4\nstride=2\npadding=1\n"),
                Arguments.of("avgpool", net(9, 7, 4) + "[avgpool]\n"),
                Arguments.of("shortcut", net(8, 8, 6) + conv + conv
                        + "[shortcut]\nfrom=-2\nalpha=0.5\nbeta=2\nactivation=leaky\n"),
                Arguments.of("shortcut-from-larger", net(8, 8, 3)
                        + "[convolutional]\nfilters=8\nsize=3\npad=1\nactivation=leaky\n\n"
                        + "[convolutional]\nfilters=4\nsize=3\nstride=2\npad=1\nactivation=leaky\n\n"
                        + "[shortcut]\nfrom=-2\nactivation=linear\n"),
                Arguments.of("shortcut-from-smaller", net(8, 8, 3)
                        + "[convolutional]\nfilters=5\nsize=3\npad=1\nactivation=leaky\n\n"
                        + "[convolutional]\nfilters=3\nsize=3\nstride=2\npad=1\nactivation=leaky\n\n"
                        + "[route]\nlayers=-2\n\n[shortcut]\nfrom=1\nalpha=0.7\nbeta=1.5\nactivation=linear\n"),
                Arguments.of("shortcut-from-uneven", net(8, 8, 3)
                        + "[convolutional]\nfilters=4\nsize=3\npad=1\nactivation=leaky\n\n"
                        + "[maxpool]\nsize=3\nstride=3\n\n[route]\nlayers=-2\n\n"
                        + "[shortcut]\nfrom=-2\nactivation=linear\n"),
                Arguments.of("route", net(6, 6, 3) + conv + "[convolutional]\nfilters=2\nsize=1\nactivation=leaky\n\n"
                        + "[route]\nlayers=-1,-2,0\n\n[route]\nlayers=1\n"),
                Arguments.of("softmax", net(3, 3, 4) + "[softmax]\n"),
                Arguments.of("softmax-groups-temperature", net(2, 2, 8)
                        + "[convolutional]\nfilters=8\nsize=1\nactivation=linear\n\n[softmax]\ngroups=4\ntemperature=2.5\n"),
                Arguments.of("dropout-and-cost", net(6, 5, 3) + conv + "[dropout]\nprobability=0.3\n\n[avgpool]\n\n"
                        + "[softmax]\n\n[cost]\n"),
                Arguments.of("cost-before-a-layer", net(5, 5, 2) + "[cost]\n\n[convolutional]\nfilters=2\nsize=1\nactivation=linear\n"),
                Arguments.of("crop", net(9, 9, 3) + "[crop]\ncrop_width=5\ncrop_height=6\n\n"
                        + "[convolutional]\nfilters=2\nsize=3\nactivation=linear\n"),
                Arguments.of("crop-noadjust", net(8, 9, 3) + "[crop]\ncrop_width=4\ncrop_height=3\nnoadjust=1\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void layer(String name, String cfg) throws Exception {
        for (boolean fold : new boolean[] {true, false}) {
            try (Network network = ExportFixture.network(name, cfg, 1)) {
                RandomWeights.fill(network, SEED);
                float[] input = ExportFixture.uniform(network.inputShape().size(), -1, 1, SEED);
                float[] expected = network.output(input);
                float[] actual = ortOutput(network, ExportOptions.defaults().withFoldBatchNorm(fold), input);
                ExportFixture.assertClose(expected, actual, TOLERANCE, name + (fold ? " (batch norm folded)" : " (kept)"));
            }
        }
    }

    /**
     * Batch norm in both forks' arithmetic, folded and kept. The variances are tiny, so that
     * pjreddie's {@code sqrt(var) + 1e-6} and AlexeyAB's {@code sqrt(var + 1e-5)} differ by far
     * more than the tolerance: the other fork's formula would fail.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("batchNormCases")
    void batchNorm(String style, boolean fold) throws Exception {
        String cfg = net(5, 4, 3, style) + "[convolutional]\nbatch_normalize=1\nfilters=4\nsize=3\npad=1\nactivation=linear\n\n"
                + "[batchnorm]\n\n[connected]\noutput=5\nbatch_normalize=1\nactivation=linear\n";
        try (Network network = ExportFixture.network("batchnorm-" + style, cfg, 1)) {
            RandomWeights.fill(network, SEED);
            for (Layer layer : network.layers()) {
                Parameter variance = parameter(layer, "rolling_variance");
                network.backend().upload(ExportFixture.uniform(variance.length(), 1e-7, 4e-6, layer.index()), variance.value());
            }
            float[] input = ExportFixture.uniform(network.inputShape().size(), 0, 1, SEED);
            float[] expected = network.output(input);
            float[] actual = ortOutput(network, ExportOptions.defaults().withFoldBatchNorm(fold), input);
            ExportFixture.assertClose(expected, actual, TOLERANCE, style + (fold ? " folded" : " kept"));
        }
    }

    static Stream<Arguments> batchNormCases() {
        return Stream.of(Arguments.of("pjreddie", true), Arguments.of("pjreddie", false),
                Arguments.of("alexeyab", true), Arguments.of("alexeyab", false));
    }

    private static final String SMALL_CLASSIFIER = net(12, 10, 3)
            + "[convolutional]\nbatch_normalize=1\nfilters=8\nsize=3\npad=1\nactivation=leaky\n\n"
            + "[maxpool]\nsize=2\nstride=2\n\n[convolutional]\nfilters=6\nsize=1\nactivation=linear\n\n"
            + "[avgpool]\n\n[softmax]\n";

    /** A fixed batch of 3 images, each its own prediction. */
    @Test
    void fixedBatch() throws Exception {
        try (Network network = ExportFixture.network("batch3", SMALL_CLASSIFIER, 3)) {
            RandomWeights.fill(network, SEED);
            float[] input = ExportFixture.uniform(network.inputShape().size(), 0, 1, SEED);
            float[] expected = network.output(input);
            float[] actual = ortOutput(network, ExportOptions.defaults().withBatch(OptionalInt.of(3)), input);
            ExportFixture.assertSamePrediction(expected, actual, 6, "batch of 3");
        }
    }

    /** {@code --batch dynamic}: one model for any number of images, declared as a named dimension. */
    @Test
    void dynamicBatch() throws Exception {
        byte[] model;
        try (Network one = ExportFixture.network("dynamic", SMALL_CLASSIFIER, 1)) {
            RandomWeights.fill(one, SEED);
            model = OnnxExporter.export(one, ExportOptions.defaults().withBatch(OptionalInt.empty())).toByteArray();
        }
        try (Ort ort = Ort.load(model)) {
            TensorInfo input = (TensorInfo) ort.session().getInputInfo().get("input").getInfo();
            assertEquals(List.of(-1L, 3L, 10L, 12L), Arrays.stream(input.getShape()).boxed().toList(), "declared input shape");
            assertEquals(OnnxExporter.BATCH_DIMENSION, input.getDimensionNames()[0]);
            for (int batch : new int[] {1, 4}) {
                try (Network network = ExportFixture.network("dynamic", SMALL_CLASSIFIER, batch)) {
                    RandomWeights.fill(network, SEED);
                    float[] images = ExportFixture.uniform(network.inputShape().size(), 0, 1, batch);
                    ExportFixture.assertSamePrediction(network.output(images), ort.run(images, batch, 3, 10, 12), 6,
                            "dynamic batch of " + batch);
                }
            }
        }
    }

    /** The oldest and newest opsets exported; the same model in each. */
    @ParameterizedTest
    @MethodSource("opsets")
    void opset(int opset) throws Exception {
        try (Network network = ExportFixture.network("opset" + opset, SMALL_CLASSIFIER, 1)) {
            RandomWeights.fill(network, SEED);
            float[] input = ExportFixture.uniform(network.inputShape().size(), 0, 1, SEED);
            float[] expected = network.output(input);
            ExportFixture.assertSamePrediction(expected, ortOutput(network, ExportOptions.defaults().withOpset(opset), input),
                    6, "opset " + opset);
        }
    }

    static Stream<Integer> opsets() {
        return Stream.of(OnnxExporter.MIN_OPSET, OnnxExporter.DEFAULT_OPSET, OnnxExporter.MAX_OPSET);
    }

    @Test
    void opsetsOutsideTheRangeAreRefused() {
        UsageException error = assertThrows(UsageException.class,
                () -> ExportOptions.defaults().withOpset(12));
        assertEquals("opset 12 is not supported: jdarknet exports opsets 13 to 21", error.getMessage());
    }

    /** What a user needs beside the graph, read back through ONNX Runtime's metadata. */
    @Test
    void metadataDescribesInputPreprocessingAndClasses() throws Exception {
        List<String> names = List.of("cat", "dog, big", "fish", "bird", "frog", "ant");
        try (Network network = ExportFixture.network("metadata", SMALL_CLASSIFIER, 1)) {
            RandomWeights.fill(network, SEED);
            ExportOptions options = ExportOptions.defaults().withClassNames(names).withPreprocessing(Preprocessing.RESIZE);
            try (Ort ort = Ort.load(OnnxExporter.export(network, options).toByteArray())) {
                Map<String, String> metadata = ort.session().getMetadata().getCustomMetadata();
                assertEquals("input", metadata.get("input_name"));
                assertEquals("1x3x10x12", metadata.get("input_shape"));
                assertEquals("resize", metadata.get("preprocessing"));
                assertEquals("RGB", metadata.get("input_color"));
                assertEquals("pixel / 255, in [0, 1]", metadata.get("input_scale"));
                assertEquals(names, List.of(metadata.get("class_names").split("\n")));
                assertEquals("1x6", metadata.get("output_shape"));
                assertEquals("jdarknet", ort.session().getMetadata().getProducerName());
                NodeInfo output = ort.session().getOutputInfo().get("output");
                assertEquals(List.of(1L, 6L), Arrays.stream(((TensorInfo) output.getInfo()).getShape()).boxed().toList());
            }
        }
    }

    private static float[] ortOutput(Network network, ExportOptions options, float[] input) throws Exception {
        byte[] model = OnnxExporter.export(network, options.withBatch(OptionalInt.of(network.inputShape().n())))
                .toByteArray();
        try (Ort ort = Ort.load(model)) {
            return ort.run(input, network.inputShape().n(), network.inputShape().c(), network.inputShape().h(),
                    network.inputShape().w());
        }
    }

    private static Parameter parameter(Layer layer, String name) {
        return layer.parameters().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }
}
