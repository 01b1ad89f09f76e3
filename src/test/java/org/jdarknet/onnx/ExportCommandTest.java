package org.jdarknet.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.TensorInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.jdarknet.backend.Quantization;
import org.jdarknet.calibration.Calibration;
import org.jdarknet.cli.Processes;
import org.jdarknet.net.Network;
import org.jdarknet.onnx.proto.Onnx.ModelProto;
import org.jdarknet.onnx.proto.Onnx.NodeProto;
import org.jdarknet.weights.RandomWeights;
import org.jdarknet.weights.WeightsReader;
import org.jdarknet.weights.WeightsWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code jdarknet export} as a user runs it: the file it writes, and its one-line errors. */
class ExportCommandTest {
    private static final String CFG = "[net]\nwidth=10\nheight=8\nchannels=3\n\n"
            + "[convolutional]\nbatch_normalize=1\nfilters=4\nsize=3\npad=1\nactivation=mish\n\n"
            + "[maxpool]\nsize=2\nstride=2\n\n[connected]\noutput=3\nactivation=linear\n\n[softmax]\n";
    private static final Path IMAGE = Path.of("data", "dog.jpg");
    private static final List<String> NAMES = List.of("alpha", "beta gamma", "delta");
    private static Path cfg;
    private static Path weights;
    private static Path names;

    @BeforeAll
    static void files() throws Exception {
        Path directory = ExportFixture.directory();
        cfg = Files.writeString(directory.resolve("command.cfg"), CFG);
        weights = directory.resolve("command.weights");
        try (Network network = ExportFixture.network("command", CFG, 1)) {
            RandomWeights.fill(network, 11);
            WeightsWriter.save(network, weights);
        }
        names = Files.write(directory.resolve("command.names"), NAMES);
    }

    @Test
    void writesAModelOnnxRuntimeRunsWithTheClassNames() throws Exception {
        Path out = ExportFixture.directory().resolve("command.onnx");
        Path data = Files.writeString(ExportFixture.directory().resolve("command.data"), "classes=3\nnames=" + names + "\n");
        Processes.Result result = Processes.jdarknet("export", cfg.toString(), weights.toString(), out.toString(),
                "--batch", "dynamic", "--data", data.toString());
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("", result.stdout(), "results only on stdout, and export has none");
        try (Network network = ExportFixture.network("command-check", CFG, 2);
             Ort ort = Ort.load(Files.readAllBytes(out))) {
            WeightsReader.load(network, weights);
            float[] images = ExportFixture.uniform(network.inputShape().size(), 0, 1, 5);
            ExportFixture.assertSamePrediction(network.output(images), ort.run(images, 2, 3, 8, 10), 3, "exported file");
            Map<String, String> metadata = ort.session().getMetadata().getCustomMetadata();
            assertEquals(NAMES, List.of(metadata.get("class_names").split("\n")));
            assertEquals("batchx3x8x10", metadata.get("input_shape"));
            assertEquals("letterbox", metadata.get("preprocessing"));
            assertEquals("fp32", metadata.get("precision"));
            TensorInfo input = (TensorInfo) ort.session().getInputInfo().get("input").getInfo();
            assertEquals(-1, input.getShape()[0], "dynamic batch");
        }
    }

    /**
     * {@code --precision int8} with a file from {@code jdarknet calibrate}, or calibrating itself on
     * the same image: the same model, its convolution (followed by a connected layer, so no head)
     * quantised with the calibrated input range and its output before the activation with the
     * calibrated pre-activation range, the connected layer left fp32; ONNX Runtime runs it.
     */
    @Test
    void int8ExportQuantisesWithTheCalibration() throws Exception {
        Path directory = ExportFixture.directory();
        Path calibration = calibrated(directory.resolve("command.calibration"));
        Path fromFile = directory.resolve("command-int8-file.onnx");
        Path measured = directory.resolve("command-int8-measured.onnx");
        for (String[] options : List.of(new String[] {"--calibration", calibration.toString(), fromFile.toString()},
                new String[] {"--calibrate", IMAGE.toString(), measured.toString()})) {
            Processes.Result result = Processes.jdarknet("export", "--precision", "int8", options[0], options[1],
                    cfg.toString(), weights.toString(), options[2]);
            assertEquals(0, result.exitCode(), result.stderr());
        }
        ModelProto model = ModelProto.parseFrom(Files.readAllBytes(fromFile));
        assertArrayEquals(Files.readAllBytes(fromFile), Files.readAllBytes(measured), "--calibrate IMAGE and its file");
        List<NodeProto> quantize = Int8Fixture.nodes(model, 0, "QuantizeLinear");
        assertEquals(2, quantize.size(), "layer 0's input and its output before the activation are quantised");
        assertArrayEquals(new float[] {Quantization.activationScale(Calibration.read(calibration).inputRange(0))},
                Int8Fixture.floats(model, quantize.get(0).getInput(1)), "layer 0's input scale");
        assertArrayEquals(new float[] {Quantization.activationScale(Calibration.read(calibration).preActivationRange(0))},
                Int8Fixture.floats(model, quantize.get(1).getInput(1)), "layer 0's output scale before the activation");
        assertEquals(Int8Fixture.nodes(model, 0, "Conv").get(0).getOutput(0), quantize.get(1).getInput(0),
                "the second QuantizeLinear reads the convolution's output");
        assertEquals(List.of(), Int8Fixture.nodes(model, 2, "QuantizeLinear"), "the connected layer stays fp32");
        assertTrue(model.getMetadataPropsList().stream().anyMatch(property -> property.getKey().equals("precision")
                && property.getValue().startsWith("int8 (QDQ): 1 of 1 convolutions")), "the metadata says int8");
        try (Network network = ExportFixture.network("command-int8", CFG, 1); Ort ort = Ort.load(model.toByteArray())) {
            WeightsReader.load(network, weights);
            float[] image = ExportFixture.uniform(network.inputShape().size(), 0, 1, 6);
            float[] probabilities = ort.run(image, 1, 3, 8, 10);
            assertEquals(1, IntStream.range(0, 3).mapToDouble(i -> probabilities[i]).sum(), 1e-6, "probabilities");
            ExportFixture.assertClose(network.output(image), probabilities, 0.1, "int8 model against fp32");
        }
    }

    /**
     * A calibration file of the first format has no ranges before the activations: the export says
     * so in one line and how to recalibrate, and quantises the convolution's input only.
     */
    @Test
    void aFirstFormatCalibrationLeavesTheOutputsFloatAndSaysSo() throws Exception {
        Path directory = ExportFixture.directory();
        Path calibration = calibrated(directory.resolve("command-format1.calibration"));
        List<String> lines = Files.readAllLines(calibration).stream()
                .map(line -> line.startsWith("# jdarknet calibration ") ? "# jdarknet calibration 1"
                        : line.startsWith("layer ") ? String.join(" ", List.of(line.split(" ")).subList(0, 4)) : line)
                .toList();
        Files.write(calibration, lines);
        Path out = directory.resolve("command-format1.onnx");
        Processes.Result result = Processes.jdarknet("export", "--precision", "int8", "--calibration", calibration.toString(),
                cfg.toString(), weights.toString(), out.toString());
        assertEquals(0, result.exitCode(), result.stderr());
        List<String> said = result.stderr().lines().filter(line -> line.contains("no ranges before the activations")).toList();
        assertEquals(1, said.size(), result.stderr());
        assertTrue(said.get(0).contains(calibration + ": ") && said.get(0).contains("recalibrate (jdarknet calibrate"), said.get(0));
        ModelProto model = ModelProto.parseFrom(Files.readAllBytes(out));
        assertEquals(1, Int8Fixture.nodes(model, 0, "QuantizeLinear").size(), "only the input is quantised");
    }

    /** {@code file}, written by {@code jdarknet calibrate} on the sample image. */
    private static Path calibrated(Path file) {
        Processes.Result result = Processes.jdarknet("calibrate", cfg.toString(), weights.toString(), IMAGE.toString(),
                "--out", file.toString());
        assertEquals(0, result.exitCode(), result.stderr());
        return file;
    }

    @Test
    void badOptionsAreOneLineErrorsAndWriteNothing() {
        Path out = ExportFixture.directory().resolve("refused.onnx");
        assertRefused("error: --batch: expected a number or 'dynamic', found 'many'", out, "--batch", "many");
        assertRefused("error: opset 9 is not supported: jdarknet exports opsets 13 to 21", out, "--opset", "9",
                "--labels", names.toString());
        assertRefused("error: --batchnorm: expected fold or keep, found 'drop'", out, "--batchnorm", "drop");
        assertRefused("error: --precision int8 needs a calibration: --calibration FILE or --calibrate LIST|DIR", out,
                "--precision", "int8");
        assertRefused("error: export --precision bf16 is not offered: the model is fp32 or int8 (QDQ)", out,
                "--precision", "bf16");
        assertRefused("error: --precision int8 quantises the weights with batch norm folded in: drop --batchnorm keep", out, "--precision", "int8", "--calibrate", IMAGE.toString(),
                "--batchnorm", "keep");
    }

    private static void assertRefused(String message, Path out, String... options) {
        List<String> args = new ArrayList<>(List.of("export", cfg.toString(), weights.toString(), out.toString()));
        args.addAll(List.of(options));
        Processes.Result result = Processes.jdarknet(args.toArray(String[]::new));
        assertEquals(1, result.exitCode(), result.stderr());
        assertEquals(List.of(message), result.stderrLines());
        assertFalse(Files.exists(out), "no model written");
    }

    @Test
    void dataAndLabelsTogetherAreAUsageError() {
        Processes.Result result = Processes.jdarknet("export", cfg.toString(), weights.toString(), "x.onnx",
                "--data", "a.data", "--labels", names.toString());
        assertEquals(2, result.exitCode(), result.stderr());
        assertEquals(1, result.stderrLines().size(), result.stderr());
        assertTrue(result.stderr().contains("mutually exclusive"), result.stderr());
    }
}
