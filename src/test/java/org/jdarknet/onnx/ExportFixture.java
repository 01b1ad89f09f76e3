package org.jdarknet.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.jdarknet.backend.reference.ReferenceBackend;
import org.jdarknet.classify.TopK;
import org.jdarknet.net.Network;

/** What the export tests share: networks from cfg text, seeded inputs, and the agreement they demand. */
final class ExportFixture {
    private static Path directory;

    private ExportFixture() {
    }

    /** A network on the reference backend from the cfg text, for {@code batch} images. */
    static Network network(String name, String cfg, int batch) {
        try {
            return Network.build(Files.writeString(directory().resolve(name + ".cfg"), cfg), new ReferenceBackend(), batch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static synchronized Path directory() {
        if (directory == null) {
            try {
                Files.createDirectories(Path.of("target"));
                directory = Files.createTempDirectory(Path.of("target"), "onnx-test-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return directory;
    }

    /** Seeded values uniform in [low, high). */
    static float[] uniform(int count, double low, double high, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (low + (high - low) * random.nextDouble());
        }
        return values;
    }

    /**
     * Every value within {@code relative} of the largest expected magnitude; returns the largest
     * difference relative to it.
     */
    static double assertClose(float[] expected, float[] actual, double relative, String what) {
        assertEquals(expected.length, actual.length, what + ": number of values");
        double largest = 0;
        for (float value : expected) {
            // Darknet's max pool gives -FLT_MAX for a window wholly in its padding: compared, but no scale.
            if (Math.abs(value) < Float.MAX_VALUE) {
                largest = Math.max(largest, Math.abs(value));
            }
        }
        double tolerance = relative * Math.max(largest, Float.MIN_NORMAL);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            double difference = Math.abs((double) expected[i] - actual[i]);
            worst = Math.max(worst, difference);
            int index = i;
            assertTrue(difference <= tolerance, () -> what + ": value " + index + " is " + actual[index] + ", expected "
                    + expected[index] + " (tolerance " + tolerance + ")");
        }
        return worst / Math.max(largest, Float.MIN_NORMAL);
    }

    /** Probabilities within 1e-5 of the largest one, and the same top-5 (per image of the batch). */
    static double assertSamePrediction(float[] expected, float[] actual, int classes, String what) {
        double worst = assertClose(expected, actual, 1e-5, what);
        for (int image = 0; image < expected.length / classes; image++) {
            float[] ours = Arrays.copyOfRange(expected, image * classes, (image + 1) * classes);
            float[] theirs = Arrays.copyOfRange(actual, image * classes, (image + 1) * classes);
            assertArrayEquals(TopK.of(ours, 5), TopK.of(theirs, 5), what + ": top-5 of image " + image);
        }
        return worst;
    }
}
