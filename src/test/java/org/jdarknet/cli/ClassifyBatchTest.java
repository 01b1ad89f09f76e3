package org.jdarknet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.cpu.CpuBackend;
import org.jdarknet.backend.reference.ReferenceBackend;
import org.jdarknet.classify.Classifier;
import org.jdarknet.classify.Labels;
import org.jdarknet.classify.Prediction;
import org.jdarknet.testing.Json;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code classify} of many images, decoded ahead and run several per forward pass, against the
 * same network classifying each image alone through {@link Classifier#classify(Path, int)}: same
 * order, same classes, and probabilities equal on the reference backend (images do not mix in
 * darknet's inference arithmetic) and within 1e-6 on the cpu backend, whose kernels block a batch
 * differently. Seven images with batch 3 leave a short last group.
 */
class ClassifyBatchTest {
    private static final int TOP = 5;

    @ParameterizedTest(name = "{0}, --batch {1}")
    @CsvSource({"reference, 1, 0", "reference, 3, 0", "reference, 8, 0", "cpu, 3, 1e-6"})
    void manyImagesGiveEachImagesOwnResultsInOrder(String backend, int batch, double tolerance) {
        assumeBackend(backend);
        List<String> args = new ArrayList<>(arguments(backend, batch));
        images().forEach(image -> args.add(image.toString()));
        assertSameAsOneByOne(InProcess.run(args.toArray(String[]::new)), backend, tolerance);
    }

    /** Paths piped on stdin go through the same decoding ahead and batching. */
    @ParameterizedTest(name = "--batch {0}")
    @CsvSource({"1", "2"})
    void pathsOnStdin(int batch) {
        StringBuilder paths = new StringBuilder();
        images().forEach(image -> paths.append(image).append("\n\n"));
        InputStream original = System.in;
        System.setIn(new ByteArrayInputStream(paths.toString().getBytes(StandardCharsets.UTF_8)));
        try {
            assertSameAsOneByOne(InProcess.run(arguments("reference", batch).toArray(String[]::new)), "reference", 0);
        } finally {
            System.setIn(original);
        }
    }

    private static List<String> arguments(String backend, int batch) {
        return List.of("classify", CliFixture.CFG.toString(), CliFixture.weights().toString(),
                "--labels", CliFixture.names().toString(), "--format", "json", "--top", Integer.toString(TOP),
                "--backend", backend, "--batch", Integer.toString(batch));
    }

    private static void assertSameAsOneByOne(InProcess.Outcome outcome, String backend, double tolerance) {
        List<Path> images = images();
        assertEquals(1, outcome.exitCode(), "the missing image is a failure");
        List<String> lines = outcome.stdout().lines().toList();
        List<Path> readable = images.stream().filter(image -> !image.endsWith("missing.jpg")).toList();
        assertEquals(readable.size(), lines.size(), outcome.stdout());
        try (Backend alone = backend(backend);
             Classifier classifier = Classifier.load(CliFixture.CFG, CliFixture.weights(),
                     Labels.read(CliFixture.names()), alone)) {
            for (int i = 0; i < readable.size(); i++) {
                Map<String, Object> line = Json.parseObject(lines.get(i));
                assertEquals(readable.get(i).toString(), line.get("image"), "order");
                assertSamePredictions(classifier.classify(readable.get(i), TOP), (List<?>) line.get("predictions"),
                        tolerance, readable.get(i).toString());
            }
        }
    }

    private static void assertSamePredictions(List<Prediction> expected, List<?> actual, double tolerance, String what) {
        assertEquals(expected.size(), actual.size(), what);
        for (int rank = 0; rank < expected.size(); rank++) {
            Map<?, ?> prediction = (Map<?, ?>) actual.get(rank);
            assertEquals((double) expected.get(rank).index(), prediction.get("index"), what + " rank " + (rank + 1));
            double probability = (Double) prediction.get("probability");
            // Float.toString prints the shortest text that reads back as the same float
            assertEquals(expected.get(rank).probability(), tolerance == 0 ? (float) probability : probability,
                    tolerance, what + " rank " + (rank + 1));
        }
    }

    /** PNGs and JPEGs (colour, grey, CMYK, EXIF-turned), one missing among them. */
    private static List<Path> images() {
        Path resources;
        try {
            resources = Path.of(ClassifyBatchTest.class.getResource("/images").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return List.of(CliFixture.image(1), resources.resolve("jpeg-420.jpg"), resources.resolve("missing.jpg"),
                resources.resolve("jpeg-grey.jpg"), CliFixture.image(2), resources.resolve("jpeg-cmyk.jpg"),
                resources.resolve("jpeg-exif-orientation6.jpg"), resources.resolve("png-rgb.png"));
    }

    private static void assumeBackend(String name) {
        if (name.equals("cpu")) {
            Optional<String> problem = CpuBackend.unavailableReason();
            problem.ifPresent(reason -> System.err.println("skipped, cpu backend: " + reason));
            Assumptions.assumeTrue(problem.isEmpty(), () -> "cpu backend: " + problem.orElse(""));
        }
    }

    private static Backend backend(String name) {
        return name.equals("cpu") ? new CpuBackend(1) : new ReferenceBackend();
    }
}
