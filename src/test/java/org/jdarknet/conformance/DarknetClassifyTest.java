package org.jdarknet.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.jdarknet.Log;
import org.jdarknet.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Live, end to end: {@code jdarknet classify} prints what {@code darknet classify} prints, for
 * every zoo model darknet can run and every sample image, with weights written by our writer and
 * with the same weights rewritten by darknet itself. The two small models run on every image; each
 * large one (many seconds per image on both sides) on one, taken in turn, so that every image is
 * still seen by several architectures. {@link GoldenTest} checks every layer of every model.
 */
class DarknetClassifyTest {
    private static final int SMALL_MODELS = 2;

    static Stream<Arguments> models() {
        List<String> models = TestModels.DARKNET_RUNNABLE;
        List<String> images = TestModels.SAMPLE_IMAGES;
        return IntStream.range(0, models.size()).mapToObj(i -> Arguments.of(models.get(i),
                i < SMALL_MODELS ? images : List.of(images.get(i % images.size()))));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("models")
    void classifyPrintsWhatDarknetPrints(String model, List<String> imageNames) throws Exception {
        Darknet.assumeInstalled();
        Path cfg = TestModels.cfg(model);
        Path weights = TestModels.randomWeights(model);
        List<String> images = imageNames.stream().map(i -> TestModels.image(i).toString()).toList();
        List<String> expected = new ArrayList<>();
        for (String image : images) {
            expected.add(Darknet.run(Path.of("."), "classify", cfg.toString(), weights.toString(), image));
        }
        for (int i = 0; i < images.size(); i++) {
            String ours = jdarknet("classify", "--backend", "reference", cfg.toString(), weights.toString(), images.get(i));
            assertEquals(expected.get(i), ours, model + " on " + images.get(i));
        }
    }

    /** Darknet's own writer (via {@code darknet partial}) produces the same bytes as ours, and we read its file. */
    @Test
    void darknetWritesTheSameBytesAndWeReadThem() throws Exception {
        Darknet.assumeInstalled();
        Path ours = TestModels.randomWeights("tiny");
        Path rewritten = TestModels.workDirectory().resolve("tiny-by-darknet.weights");
        Darknet.run(Path.of("."), "partial", TestModels.cfg("tiny").toString(), ours.toString(), rewritten.toString(), "1000");
        assertArrayEquals(Files.readAllBytes(ours), Files.readAllBytes(rewritten), "darknet's rewrite of our weights file");
        String image = TestModels.image("giraffe.jpg").toString();
        assertEquals(Darknet.run(Path.of("."), "classify", "cfg/tiny.cfg", rewritten.toString(), image),
                jdarknet("classify", "--backend", "reference", "cfg/tiny.cfg", rewritten.toString(), image));
    }

    /** Runs our command line in-process and returns its stdout. */
    static String jdarknet(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Log.setQuiet(true);
        try (PrintStream stream = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setOut(stream);
            assertEquals(0, Main.run(args), "exit code of jdarknet " + String.join(" ", args));
        } finally {
            System.setOut(original);
            Log.setQuiet(false);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
