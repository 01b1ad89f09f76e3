package org.jdarknet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.jdarknet.backend.cpu.CpuBackend;
import org.jdarknet.calibration.Calibration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jdarknet calibrate} and {@code --precision}: a calibration written by one is accepted by
 * the other, and every misuse is one line on stderr with a non-zero exit.
 */
class PrecisionCommandTest {
    private static final String PREDICTION = " *\\d{1,3}\\.\\d\\d%: .+";

    @TempDir
    static Path dir;
    private static String cfg;
    private static String weights;
    private static String names;
    private static String image1;
    private static String image2;

    @BeforeAll
    static void files() {
        cfg = CliFixture.CFG.toString();
        weights = CliFixture.weights().toString();
        names = CliFixture.names().toString();
        image1 = CliFixture.image(1).toString();
        image2 = CliFixture.image(2).toString();
    }

    @Test
    void calibrateWritesAFileThatInt8ClassifyAccepts() {
        requireCpuBackend();
        Path file = dir.resolve("small.calibration");
        InProcess.Outcome calibrated = InProcess.run("calibrate", cfg, weights, image1, image2, "--out", file.toString());
        assertEquals(0, calibrated.exitCode());
        Calibration calibration = Calibration.read(file);
        assertEquals(2, calibration.images());
        assertEquals("small.cfg", calibration.cfg());
        InProcess.Outcome classified = InProcess.run("classify", cfg, weights, "--labels", names, "--precision", "int8",
                "--calibration", file.toString(), image1);
        assertEquals(0, classified.exitCode());
        List<String> lines = classified.stdout().lines().toList();
        assertEquals(5, lines.size(), classified.stdout());
        lines.forEach(line -> assertTrue(line.matches(PREDICTION), line));
    }

    @Test
    void aListAndAFolderGiveTheImagesTheyName() throws IOException {
        Path list = dir.resolve("images.list");
        Files.write(list, List.of(image1, "", image2, image1));
        Path fromList = dir.resolve("list.calibration");
        assertEquals(0, InProcess.run("calibrate", cfg, weights, list.toString(), "--out", fromList.toString()).exitCode());
        assertEquals(3, Calibration.read(fromList).images());
        Path folder = Files.createDirectories(dir.resolve("images/sub"));
        Files.copy(Path.of(image1), folder.resolve("a.png"));
        Files.copy(Path.of(image2), folder.getParent().resolve("b.png"));
        Files.writeString(folder.resolve("notes.txt"), "not an image\n");
        Path fromFolder = dir.resolve("folder.calibration");
        assertEquals(0, InProcess.run("calibrate", cfg, weights, folder.getParent().toString(), "--out",
                fromFolder.toString()).exitCode());
        assertEquals(2, Calibration.read(fromFolder).images());
    }

    @Test
    void calibratingAtLoadTime() throws IOException {
        requireCpuBackend();
        Path list = dir.resolve("load-time.list");
        Files.write(list, List.of(image1, image2));
        InProcess.Outcome outcome = InProcess.run("classify", cfg, weights, "--labels", names, "--precision", "int8",
                "--calibrate", list.toString(), "--top", "2", image2);
        assertEquals(0, outcome.exitCode());
        assertEquals(2, outcome.stdout().lines().count(), outcome.stdout());
    }

    /** The images measured at load time are held to the command's own --max-image-pixels: a 40x30 one to 100 pixels. */
    @Test
    void calibratingAtLoadTimeKeepsTheImageSizeLimit() throws IOException {
        requireCpuBackend();
        Path list = dir.resolve("size-limit.list");
        Files.write(list, List.of(image1));
        Path small = dir.resolve("small.png");
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", small.toFile());
        Processes.Result result = Processes.jdarknet("classify", cfg, weights, "--labels", names, "--precision", "int8",
                "--calibrate", list.toString(), "--max-image-pixels", "100", small.toString());
        assertNotEquals(0, result.exitCode());
        List<String> stderr = result.stderrLines();
        String error = stderr.get(stderr.size() - 1);
        assertTrue(error.startsWith("error: " + image1 + ": ") && error.contains("more than the limit of 100 pixels"),
                result.stderr());
        assertTrue(stderr.subList(0, stderr.size() - 1).stream().noneMatch(line -> line.startsWith("error")),
                result.stderr());
        assertEquals("", result.stdout());
    }

    @Test
    void validInInt8CalibratesOnItsFolderAtLoadTime() throws IOException {
        requireCpuBackend();
        Path classes = dir.resolve("classes");
        Files.createDirectories(classes.resolve("kit fox"));
        Files.createDirectories(classes.resolve("goldfish"));
        Files.copy(Path.of(image1), classes.resolve("kit fox/1.png"));
        Files.copy(Path.of(image2), classes.resolve("goldfish/2.png"));
        InProcess.Outcome outcome = InProcess.run("valid", cfg, weights, "--data", classes.toString(), "--labels", names,
                "--precision", "int8", "--calibrate", classes.toString());
        assertEquals(0, outcome.exitCode());
        assertTrue(outcome.stdout().lines().anyMatch(line -> line.startsWith("2 images: top-1 ")), outcome.stdout());
    }

    @Test
    void benchmarkTrainsInFp32Only() {
        assertOneLineError("error: --train times training, which is fp32; --precision is for inference",
                "benchmark", "--train", "--precision", "bf16", "--runs", "1", "--warmup", "0", "--warmup-time", "0", cfg);
    }

    @Test
    void int8WithoutACalibrationIsOneLine() {
        assertOneLineError("error: --precision int8 needs a calibration: --calibration FILE or --calibrate LIST|DIR",
                "classify", cfg, weights, "--labels", names, "--precision", "int8", image1);
    }

    @Test
    void anUnknownPrecisionIsOneLine() {
        assertOneLineError("error: unknown precision 'fp16'; known: fp32, bf16, int8",
                "classify", cfg, weights, "--labels", names, "--precision", "fp16", image1);
    }

    @Test
    void int8OnTheReferenceBackendIsOneLine() {
        Path file = dir.resolve("reference.calibration");
        assertEquals(0, InProcess.run("calibrate", cfg, weights, image1, "--out", file.toString()).exitCode());
        assertOneLineError("error: --precision int8 needs the cpu backend; the reference backend computes in fp32 only",
                "classify", cfg, weights, "--labels", names, "--backend", "reference", "--precision", "int8",
                "--calibration", file.toString(), image1);
    }

    @Test
    void aCalibrationOfAnotherNetworkIsOneLine() throws IOException {
        requireCpuBackend();
        Path file = dir.resolve("other.calibration");
        assertEquals(0, InProcess.run("calibrate", cfg, weights, image1, "--out", file.toString()).exitCode());
        String text = Files.readString(file);
        Files.writeString(file, text.replaceFirst("network [0-9a-f]+", "network 0123456789abcdef"));
        Processes.Result result = Processes.jdarknet("classify", cfg, weights, "--labels", names, "--precision", "int8",
                "--calibration", file.toString(), image1);
        assertNotEquals(0, result.exitCode());
        assertEquals(1, result.stderrLines().size(), result.stderr());
        assertTrue(result.stderr().startsWith("error: " + file + ": made for small.cfg (network 0123456789abcdef"),
                result.stderr());
    }

    @Test
    void benchmarkInInt8NeedsNoCalibration() {
        requireCpuBackend();
        boolean samples = Files.isRegularFile(Path.of("data/dog.jpg"));
        if (!samples) {
            System.err.println("PrecisionCommandTest: skipped, benchmark calibrates on data/*.jpg and there are none (make data)");
        }
        Assumptions.assumeTrue(samples, "no sample images in data/");
        InProcess.Outcome outcome = InProcess.run("benchmark", "--precision", "int8", "--backend", "cpu", "--runs", "1",
                "--warmup", "0", "--warmup-time", "0", "--json", cfg);
        assertEquals(0, outcome.exitCode());
        assertEquals(1, outcome.stdout().lines().count(), outcome.stdout());
    }

    private static void assertOneLineError(String expected, String... args) {
        Processes.Result result = Processes.jdarknet(args);
        assertNotEquals(0, result.exitCode());
        assertEquals(List.of(expected), result.stderrLines(), result.stderr());
        assertEquals("", result.stdout());
    }

    private static void requireCpuBackend() {
        Optional<String> problem = CpuBackend.unavailableReason();
        if (problem.isPresent()) {
            System.err.println("PrecisionCommandTest: skipped, the cpu backend is unavailable (" + problem.get() + ")");
        }
        Assumptions.assumeTrue(problem.isEmpty(), "the cpu backend is unavailable");
    }
}
