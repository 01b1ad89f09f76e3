package org.jdarknet.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.jdarknet.image.FloatImage;
import org.jdarknet.image.ImageLoader;
import org.jdarknet.image.PendingImage;
import org.jdarknet.image.Preprocessing;
import org.junit.jupiter.api.Test;

/** Which images are decoded when: beside the passes, or only between them; and always in order. */
class DecodeAheadTest {
    private static final Path JPEG = Path.of("src/test/resources/images/jpeg-420.jpg");
    private static final Path BMP = Path.of("src/test/resources/images/bmp-24.bmp");
    /** A stand-in for the network's input: the first row of the image letterboxed to 32×32. */
    private static final Function<FloatImage, float[]> FIRST_ROW = image -> Arrays.copyOf(
            Preprocessing.LETTERBOX.apply(image, 32, 32).data(), 32);
    private static final Function<PendingImage, float[]> PENDING_FIRST_ROW = image -> Arrays.copyOf(
            image.prepare(Preprocessing.LETTERBOX, 32, 32).data(), 32);
    private static final DecodeAhead.InputFromFile FIRST_ROW_OF_FILE = (path, maxPixels) -> FIRST_ROW.apply(
            ImageLoader.load(path, maxPixels));

    /** The paths, counting how many have been handed to the decoders. */
    private static final class CountedPaths implements ImagePaths {
        private final List<Path> left;
        private int taken;

        CountedPaths(List<Path> paths) {
            left = new ArrayList<>(paths);
        }

        @Override
        public Optional<Path> poll() {
            if (left.isEmpty()) {
                return Optional.empty();
            }
            taken++;
            return Optional.of(left.remove(0));
        }

        @Override
        public Optional<Path> take() {
            return poll();
        }
    }

    private static List<Path> alternating(int count) {
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            paths.add(i % 2 == 0 ? JPEG : BMP);
        }
        return paths;
    }

    @Test
    void besideThePassesTheNextImagesAreAlwaysUnderWay() {
        CountedPaths paths = new CountedPaths(alternating(8));
        try (DecodeAhead images = new DecodeAhead(paths, 2, ImageLoader.DEFAULT_MAX_PIXELS)) {
            images.prepareInputs(FIRST_ROW_OF_FILE, 1, false);
            for (int handedOut = 1; handedOut <= 5; handedOut++) {
                images.next().orElseThrow();
                assertEquals(handedOut + 3, paths.taken, "three images under way after image " + handedOut);
            }
        }
    }

    @Test
    void betweenPassesAWindowIsDecodedOnlyOnceTheLastIsHandedOut() {
        CountedPaths paths = new CountedPaths(alternating(9));
        try (DecodeAhead images = new DecodeAhead(paths, 2, ImageLoader.DEFAULT_MAX_PIXELS)) {
            images.prepareInputs(FIRST_ROW_OF_FILE, 1, true);
            List<Integer> takenAfterEach = new ArrayList<>();
            List<Boolean> underWayAfterEach = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                images.next().orElseThrow();
                takenAfterEach.add(paths.taken);
                underWayAfterEach.add(images.hasNextUnderWay());
            }
            assertTrue(images.next().isEmpty());
            // The three started before the network was known, then windows of two (one per decoder thread).
            assertEquals(List.of(3, 3, 3, 5, 5, 7, 7, 9, 9), takenAfterEach);
            assertEquals(List.of(true, true, false, true, false, true, false, true, false), underWayAfterEach);
        }
    }

    @Test
    void betweenPassesAWindowHoldsAWholeBatch() {
        CountedPaths paths = new CountedPaths(alternating(12));
        try (DecodeAhead images = new DecodeAhead(paths, 2, ImageLoader.DEFAULT_MAX_PIXELS)) {
            images.prepareInputs(FIRST_ROW_OF_FILE, 4, true);
            for (int i = 0; i < 3; i++) {
                images.next().orElseThrow();
            }
            images.next().orElseThrow();
            assertEquals(7, paths.taken, "a window of four after the first three");
        }
    }

    @Test
    void eitherWayTheImagesComeInTheOrderOfTheirPaths() {
        List<Path> order = alternating(7);
        Collections.swap(order, 2, 3);
        float[] jpeg = FIRST_ROW.apply(ImageLoader.load(JPEG));
        float[] bmp = FIRST_ROW.apply(ImageLoader.load(BMP));
        for (boolean betweenPasses : new boolean[] {false, true}) {
            try (DecodeAhead images = new DecodeAhead(new CountedPaths(order), 2, ImageLoader.DEFAULT_MAX_PIXELS)) {
                images.prepareInputs(FIRST_ROW_OF_FILE, 1, betweenPasses);
                for (Path path : order) {
                    DecodeAhead.Decoded decoded = images.next().orElseThrow();
                    assertEquals(path, decoded.path());
                    assertArrayEquals(path.equals(JPEG) ? jpeg : bmp, decoded.input(PENDING_FIRST_ROW));
                }
                assertFalse(images.next().isPresent());
            }
        }
    }
}
