package org.jdarknet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jdarknet.backend.cuda.CudaAvailability;
import org.jdarknet.backend.reference.ReferenceBackend;
import org.jdarknet.net.Network;
import org.jdarknet.testing.Json;
import org.jdarknet.weights.RandomWeights;
import org.jdarknet.weights.WeightsWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code jdarknet classify}, run as a process: stdout carries only results, every problem is one
 * line on stderr naming what and where, and the exit code says whether everything worked.
 */
class ClassifyCommandTest {
    /** Darknet's prediction line, {@code %5.2f%%: name}. */
    private static final String PREDICTION = " *\\d{1,3}\\.\\d\\d%: .+";
    private static final String PREDICTED_IN = ": Predicted in \\d+\\.\\d{6} seconds\\.";

    @TempDir
    static Path dir;
    private static String cfg;
    private static String weights;
    private static String names;
    private static String good1;
    private static String good2;

    @BeforeAll
    static void files() throws IOException {
        cfg = CliFixture.CFG.toString();
        weights = CliFixture.weights().toString();
        names = CliFixture.names().toString();
        good1 = CliFixture.image(1).toString();
        good2 = CliFixture.image(2).toString();
        byte[] complete = Files.readAllBytes(CliFixture.weights());
        Files.write(dir.resolve("truncated.weights"), Arrays.copyOf(complete, complete.length - 100));
        Files.write(dir.resolve("long.weights"), Arrays.copyOf(complete, complete.length + 4));
        // Layers 0..3: 20 header bytes and 140 floats.
        Files.write(dir.resolve("partial.weights"), Arrays.copyOf(complete, 20 + 4 * 140));
        Files.writeString(dir.resolve("bad-section.cfg"), "[net]\nwidth=6\nheight=6\nchannels=3\n\n[bogus]\n");
        Files.writeString(dir.resolve("bad-number.cfg"), "[net]\nwidth=6\nheight=6\nchannels=3\n[conv]\nfilters=4x\n");
        Files.writeString(dir.resolve("extra-key.cfg"), Files.readString(CliFixture.CFG).replace("filters=2\n", "filters=2\nfoo=3\n"));
        Files.writeString(dir.resolve("text.jpg"), "this is not an image\n");
        Files.write(dir.resolve("empty.png"), new byte[0]);
        byte[] png = Files.readAllBytes(CliFixture.image(1));
        Files.write(dir.resolve("truncated.png"), Arrays.copyOf(png, png.length / 2));
        Files.writeString(dir.resolve("no-names.data"), "classes=8\nnames=" + dir.resolve("absent.list") + "\n");
        Files.createDirectory(dir.resolve("folder"));
    }

    @Test
    void stdoutCarriesDarknetsLinesAndStderrTheTiming() {
        Processes.Result result = Processes.jdarknet("classify", cfg, weights, "--labels", names, good1);
        assertEquals(0, result.exitCode(), result.stderr());
        List<String> lines = result.stdout().lines().toList();
        assertEquals(5, lines.size(), result.stdout());
        lines.forEach(line -> assertTrue(line.matches(PREDICTION), line));
        assertTrue(CliFixture.NAMES.contains(lines.get(0).substring(lines.get(0).indexOf(": ") + 2)));
        assertEquals(1, result.stderrLines().size(), result.stderr());
        assertTrue(result.stderrLines().get(0).matches(quoted(good1) + PREDICTED_IN), result.stderr());
    }

    /**
     * A failing image is reported in its place; the others are still classified; the exit code is
     * 1. The last line on stderr says how many were classified, and how fast.
     */
    @Test
    void aBatchGoesOnAfterABadImage() {
        String missing = dir.resolve("missing.jpg").toString();
        Processes.Result result = Processes.jdarknet("classify", cfg, weights, "--labels", names, good1, missing, good2);
        assertEquals(1, result.exitCode());
        List<String> out = result.stdout().lines().toList();
        assertEquals(12, out.size(), result.stdout());
        assertEquals(good1 + ":", out.get(0));
        assertEquals(good2 + ":", out.get(6));
        List<String> err = result.stderrLines();
        assertEquals(4, err.size(), result.stderr());
        assertTrue(err.get(0).matches(quoted(good1) + PREDICTED_IN), err.get(0));
        assertEquals("error: " + missing + ": no such file", err.get(1));
        assertTrue(err.get(2).matches(quoted(good2) + PREDICTED_IN), err.get(2));
        assertTrue(err.get(3).matches("classified 2 images in \\d+\\.\\d{3} seconds: \\d+\\.\\d images/s \\(batch 1\\)"),
                err.get(3));
    }

    /** Like darknet, with no image on the command line the paths come from stdin, one per line. */
    @Test
    void pathsFromStdin() {
        String missing = dir.resolve("missing.jpg").toString();
        Processes.Result result = Processes.jdarknetWithInput(good1 + "\n\n  " + good2 + "  \n" + missing + "\n",
                "classify", cfg, weights, "--labels", names, "--top", "2");
        assertEquals(1, result.exitCode());
        assertEquals(List.of(good1 + ":", good2 + ":"), result.stdout().lines().filter(l -> l.endsWith(":")).toList());
        assertEquals(6, result.stdout().lines().count());
        assertEquals("error: " + missing + ": no such file", result.stderrLines().get(2));
    }

    static Stream<Arguments> badInputs() {
        String d = dir.toString() + "/";
        return Stream.of(
                bad("unknown section", "error: " + d + "bad-section.cfg:6: unknown section [bogus]; known: ",
                        d + "bad-section.cfg", "W", "I"),
                bad("unparsable number", "error: " + d + "bad-number.cfg:6: 'filters': expected an integer, found '4x'",
                        d + "bad-number.cfg", "W", "I"),
                bad("missing cfg", "error: " + d + "absent.cfg: file not found", d + "absent.cfg", "W", "I"),
                bad("cfg is a directory", "error: " + d + "folder: is a directory, not a file", d + "folder", "W", "I"),
                bad("truncated weights", "error: " + d + "truncated.weights: ends inside layer 5 (connected): its weights need 160"
                        + " bytes from byte 1052, but only 60 remain", "CFG", d + "truncated.weights", "I"),
                bad("over-long weights", "error: " + d + "long.weights: 4 bytes after the last layer: the cfg uses 1212 of the"
                        + " file's 1216 bytes. Weights for another cfg?", "CFG", d + "long.weights", "I"),
                bad("partial weights", "error: " + d + "partial.weights: a partial file: it ends at byte 580, after the values"
                        + " of 3 of the 5 layers with weights", "CFG", d + "partial.weights", "I"),
                bad("missing weights", "error: " + d + "absent.weights: file not found", "CFG", d + "absent.weights", "I"),
                bad("weights is a directory", "error: " + d + "folder: is a directory, not a weights file", "CFG", d + "folder", "I"),
                bad("weights is an image", "error: IMG: not a darknet weights file: its header would be version ", "CFG", "IMG", "I"),
                bad("missing labels", "error: " + d + "absent.list: labels file not found", "CFG", "W", "--labels",
                        d + "absent.list", "I"),
                bad("missing names in .data", "error: " + d + "absent.list: class names file not found (named in "
                        + d + "no-names.data)", "CFG", "W", "--data", d + "no-names.data", "I"),
                bad("missing image", "error: " + d + "absent.jpg: no such file", "CFG", "W", d + "absent.jpg"),
                bad("image is a directory", "error: " + d + "folder: is a directory, not an image", "CFG", "W", d + "folder"),
                bad("text file as image", "error: " + d + "text.jpg: is not an image in a format we read (JPEG, PNG, BMP, GIF, TIFF, PNM or WebP)", "CFG", "W", d + "text.jpg"),
                bad("empty image", "error: " + d + "empty.png: is empty", "CFG", "W", d + "empty.png"),
                bad("truncated image", "error: " + d + "truncated.png: cannot be decoded as PNG (", "CFG", "W", d + "truncated.png"),
                bad("top 0", "error: --top must be at least 1, found 0", "CFG", "W", "--top", "0", "I"));
    }

    /** CFG, W and I stand for the good cfg, weights and image; IMG for an image passed as weights. */
    private static Arguments bad(String what, String expectedStart, String... args) {
        return Arguments.of(what, expectedStart, Arrays.asList(args));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputIsOneLineOnStderrAndAFailureExitCode(String what, String expectedStart, List<String> args) {
        List<String> command = new ArrayList<>(List.of("classify"));
        if (!args.contains("--labels") && !args.contains("--data")) {
            command.addAll(List.of("--labels", names));
        }
        for (String arg : args) {
            command.add(switch (arg) {
                case "CFG" -> cfg;
                case "W" -> weights;
                case "I" -> good1;
                case "IMG" -> good1;
                default -> arg;
            });
        }
        Processes.Result result = Processes.jdarknet(command.toArray(String[]::new));
        assertEquals(1, result.exitCode(), what + ": " + result.stderr());
        assertEquals("", result.stdout(), what);
        assertEquals(1, result.stderrLines().size(), what + ": " + result.stderr());
        String expected = expectedStart.replace("IMG", good1);
        assertTrue(result.stderr().startsWith(expected), what + ": expected\n" + expected + "\nfound\n" + result.stderr());
    }

    /** Darknet's own tiny and darknet19, each with the other's weights (seeded random, by our writer). */
    @Test
    void weightsOfAnotherCfgAreRefused() {
        Path tiny = Path.of("cfg/tiny.cfg");
        Path darknet19 = Path.of("cfg/darknet19.cfg");
        Path tinyWeights = dir.resolve("tiny.weights");
        Path darknet19Weights = dir.resolve("darknet19.weights");
        writeRandomWeights(tiny, tinyWeights);
        writeRandomWeights(darknet19, darknet19Weights);
        for (Path[] pair : new Path[][] {{darknet19, tinyWeights}, {tiny, darknet19Weights}}) {
            Processes.Result result = Processes.jdarknet("classify", pair[0].toString(), pair[1].toString(), good1);
            assertNotEquals(0, result.exitCode());
            assertEquals("", result.stdout());
            assertEquals(1, result.stderrLines().size(), result.stderr());
            String error = result.stderr();
            assertTrue(error.startsWith("error: " + pair[1] + ": "), error);
            assertTrue(error.contains("do not fit this cfg") || error.contains("another cfg"), error);
        }
    }

    @Test
    void unreadableFilesAreNamed() throws IOException {
        Path locked = Files.copy(CliFixture.image(1), dir.resolve("locked.png"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(locked), "running as root: every file is readable");
        Processes.Result result = Processes.jdarknet("classify", "--labels", names, cfg, weights, locked.toString());
        assertEquals(1, result.exitCode());
        assertEquals(List.of("error: " + locked + ": cannot be read"), result.stderrLines());
    }

    @Test
    void aStackTraceOnlyWithVerbose() {
        String badCfg = dir.resolve("bad-number.cfg").toString();
        Processes.Result quiet = Processes.jdarknet("classify", badCfg, weights, good1);
        assertFalse(quiet.stderr().contains("\tat "), quiet.stderr());
        Processes.Result verbose = Processes.jdarknet("--verbose", "classify", badCfg, weights, good1);
        assertEquals(1, verbose.exitCode());
        assertTrue(verbose.stderr().contains("org.jdarknet.cfg.CfgException: " + badCfg + ":6: 'filters'"), verbose.stderr());
        assertTrue(verbose.stderr().contains("\tat org.jdarknet.cfg.CfgSection"), verbose.stderr());
    }

    /**
     * Without a usable GPU, darknet's {@code -gpu N} and {@code --backend cuda} are one line saying
     * why (the missing driver, here), exit 1; {@code auto} computes on the CPU and says why only
     * with {@code --verbose}.
     */
    @Test
    void aMissingGpuIsOneLineAndAutoStaysQuietAboutIt() {
        Optional<String> reason = CudaAvailability.unavailableReason();
        assumeTrue(reason.isPresent(), "this machine has a GPU: the refusal cannot be seen here");
        String expected = "error: the cuda backend cannot run here: " + reason.get();
        for (String[] gpu : List.of(new String[] {"-gpu", "0"}, new String[] {"-gpu", "1"}, new String[] {"--backend", "cuda"})) {
            Processes.Result result = Processes.jdarknet("classify", gpu[0], gpu[1], cfg, weights, good1);
            assertEquals(1, result.exitCode());
            assertEquals(List.of(expected), result.stderrLines());
        }
        Processes.Result auto = Processes.jdarknet("classify", cfg, weights, good1);
        assertEquals(0, auto.exitCode(), auto.stderr());
        assertFalse(auto.stderr().contains("GPU"), auto.stderr());
        Processes.Result verbose = Processes.jdarknet("--verbose", "classify", cfg, weights, good1);
        assertTrue(verbose.stderrLines().stream().anyMatch(line -> line.startsWith("backend auto: no ")
                && line.endsWith("; computing on the CPU")), verbose.stderr());
    }

    /** A mistyped command line: one line saying what is wrong and where to look, exit code 2. */
    @Test
    void usageErrorsAreOneLine() {
        Processes.Result format = Processes.jdarknet("classify", "--format", "xml", cfg, weights, good1);
        assertEquals(2, format.exitCode());
        assertEquals(List.of("error: Invalid value for option '--format': expected one of [text, csv, json] (case-sensitive)"
                + " but was 'xml' (see 'jdarknet classify --help')"), format.stderrLines());
        Processes.Result missing = Processes.jdarknet("classify");
        assertEquals(2, missing.exitCode());
        assertEquals(List.of("error: Missing required parameters: 'CFG', 'WEIGHTS' (see 'jdarknet classify --help')"),
                missing.stderrLines());
    }

    /** An unused key is a warning like darknet's "Unused field"; the run goes on. */
    @Test
    void unusedKeysAreWarnings() {
        Path extra = dir.resolve("extra-key.cfg");
        Processes.Result result = Processes.jdarknet("classify", "--labels", names, extra.toString(), weights, good1);
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("warning: " + extra + ":26: unused field 'foo = 3' in [convolutional]", result.stderrLines().get(0));
        assertEquals(5, result.stdout().lines().count());
    }

    @Test
    void topAndLabels() {
        Processes.Result result = Processes.jdarknet("classify", "--top", "8", "--labels", names, cfg, weights, good1);
        List<String> labels = result.stdout().lines().map(line -> line.substring(line.indexOf("%: ") + 3)).sorted().toList();
        assertEquals(CliFixture.NAMES.stream().sorted().toList(), labels);
    }

    /** One row per prediction under a header, RFC 4180 quoting for the name with a comma and quotes. */
    @Test
    void csvIsValidCsv() {
        Processes.Result result = Processes.jdarknet("classify", "--format", "csv", "--top", "8", "--labels", names,
                cfg, weights, good1, good2);
        assertEquals(0, result.exitCode(), result.stderr());
        List<List<String>> rows = Csv.parse(result.stdout());
        assertEquals(List.of("image", "rank", "index", "label", "probability"), rows.get(0));
        assertEquals(17, rows.size());
        double sum = 0;
        for (int i = 1; i <= 8; i++) {
            List<String> row = rows.get(i);
            assertEquals(5, row.size(), row.toString());
            assertEquals(good1, row.get(0));
            assertEquals(Integer.toString(i), row.get(1));
            assertEquals(CliFixture.NAMES.get(Integer.parseInt(row.get(2))), row.get(3));
            sum += Double.parseDouble(row.get(4));
        }
        assertEquals(1.0, sum, 1e-5, "the softmax over all eight classes");
        assertTrue(rows.stream().anyMatch(row -> row.get(3).equals("tabby, \"the\" cat")));
    }

    /** One JSON object per image and line. */
    @Test
    void jsonIsValidJsonLines() {
        Processes.Result result = Processes.jdarknet("classify", "--format", "json", "--labels", names, cfg, weights, good1, good2);
        assertEquals(0, result.exitCode(), result.stderr());
        List<String> lines = result.stdout().lines().toList();
        assertEquals(2, lines.size());
        for (int i = 0; i < 2; i++) {
            Map<String, Object> object = Json.parseObject(lines.get(i));
            assertEquals(List.of("image", "seconds", "predictions"), List.copyOf(object.keySet()));
            assertEquals(i == 0 ? good1 : good2, object.get("image"));
            List<?> predictions = (List<?>) object.get("predictions");
            assertEquals(5, predictions.size());
            double previous = 1;
            for (Object item : predictions) {
                Map<?, ?> prediction = (Map<?, ?>) item;
                double probability = (Double) prediction.get("probability");
                assertTrue(probability <= previous, "largest first");
                previous = probability;
                double index = (Double) prediction.get("index");
                assertEquals(Math.rint(index), index, "an integer index");
                assertEquals(CliFixture.NAMES.get((int) index), prediction.get("label"));
            }
        }
    }

    private static String quoted(String text) {
        return Pattern.quote(text);
    }

    /** Seeded random weights for a zoo cfg. */
    private static void writeRandomWeights(Path cfg, Path out) {
        try (Network network = Network.build(cfg, new ReferenceBackend(), 1)) {
            RandomWeights.fill(network, 1);
            WeightsWriter.save(network, out);
        }
    }
}
