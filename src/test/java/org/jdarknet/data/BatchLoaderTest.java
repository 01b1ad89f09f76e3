package org.jdarknet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jdarknet.image.ImageLoader;
import org.jdarknet.image.Preprocessing;
import org.jdarknet.net.AugmentationConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchLoaderTest {
    private static final int SIZE = 8;
    private static final int[] COLOURS = {0xff0000, 0x00ff00, 0x0000ff};
    private static final AugmentationConfig AUGMENT = new AugmentationConfig(SIZE, 2 * SIZE, 1.2f, 10, 0.1f, 1.5f,
            1.5f, false, true);

    @TempDir
    Path dir;

    private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());

    /** Three classes of solid-colour images, {@code perClass} each, a little larger than the input. */
    private Dataset colours(int perClass) {
        for (int c = 0; c < COLOURS.length; c++) {
            for (int i = 0; i < perClass; i++) {
                TestImages.png(dir.resolve("train/class" + c + "/" + i + ".png"), 12, 10, COLOURS[c]);
            }
        }
        return Dataset.fromFolders(dir.resolve("train"), warnings::add);
    }

    private LoaderOptions options(int threads, long seed) {
        return new LoaderOptions(threads, 2, seed, warnings::add);
    }

    private BatchLoader training(Dataset dataset, int batchSize, Sampling sampling, LoaderOptions options) {
        return BatchLoader.training(dataset, Augmenter.of(AUGMENT, SIZE, SIZE), batchSize, sampling, options);
    }

    @Test
    void batchesHaveDarknetsShapesAndTruth() {
        Dataset dataset = colours(3);
        try (BatchLoader loader = training(dataset, 5, Sampling.RANDOM, options(2, 1))) {
            for (int b = 0; b < 4; b++) {
                Batch batch = loader.next();
                assertEquals(5, batch.size());
                assertEquals(5 * 3 * SIZE * SIZE, batch.images().length);
                assertEquals(5 * 3, batch.truth().length);
                for (int i = 0; i < 5; i++) {
                    int label = batch.labels()[i];
                    float[] row = Arrays.copyOfRange(batch.truth(), 3 * i, 3 * i + 3);
                    float[] oneHot = new float[3];
                    oneHot[label] = 1;
                    assertArrayEquals(oneHot, row);
                    assertEquals("class" + label, batch.paths().get(i).getParent().getFileName().toString());
                }
            }
        }
    }

    @Test
    void sameSeedSameBatchesWhateverTheThreadCount() {
        Dataset dataset = colours(3);
        List<Batch> one = firstBatches(dataset, options(1, 42));
        List<Batch> two = firstBatches(dataset, options(2, 42));
        for (int b = 0; b < one.size(); b++) {
            assertEquals(one.get(b).paths(), two.get(b).paths());
            assertArrayEquals(one.get(b).images(), two.get(b).images());
        }
        assertFalse(Arrays.equals(one.get(0).images(), firstBatches(dataset, options(2, 43)).get(0).images()));
    }

    private List<Batch> firstBatches(Dataset dataset, LoaderOptions options) {
        try (BatchLoader loader = training(dataset, 4, Sampling.RANDOM, options)) {
            return List.of(loader.next(), loader.next(), loader.next());
        }
    }

    @Test
    void epochsVisitEveryImageOncePerEpoch() {
        Dataset dataset = colours(2);
        try (BatchLoader loader = training(dataset, dataset.size(), Sampling.EPOCHS, options(2, 7))) {
            for (int epoch = 0; epoch < 3; epoch++) {
                assertEquals(dataset.size(), new HashSet<>(loader.next().paths()).size());
            }
        }
    }

    @Test
    void corruptImagesAreSkippedWarnedOnceAndCounted() {
        Dataset dataset = colours(1);
        TestImages.corrupt(dir.resolve("train/class1/broken.png"));
        Dataset withBroken = Dataset.fromFolders(dir.resolve("train"), warnings::add);
        try (BatchLoader loader = training(withBroken, withBroken.size(), Sampling.EPOCHS, options(2, 3))) {
            for (int epoch = 0; epoch < 3; epoch++) {
                Batch batch = loader.next();
                assertEquals(withBroken.size(), batch.size(), "the place is filled by another image");
                assertFalse(batch.paths().contains(dir.resolve("train/class1/broken.png")));
            }
            assertEquals(1, loader.unreadableImages());
            assertTrue(loader.skippedImages() >= 3, "at least once per epoch (also in batches loaded ahead)");
        }
        List<String> skipped = warnings.stream().filter(w -> w.startsWith("skipped")).toList();
        assertEquals(1, skipped.size(), warnings.toString());
        assertTrue(skipped.get(0).contains("broken.png"), skipped.get(0));
        assertEquals(3, dataset.size());
    }

    @Test
    void aDatasetWithNoReadableImageIsAClearError() {
        TestImages.corrupt(dir.resolve("bad/a/1.png"));
        TestImages.corrupt(dir.resolve("bad/b/2.png"));
        Dataset dataset = Dataset.fromFolders(dir.resolve("bad"), warnings::add);
        try (BatchLoader loader = training(dataset, 4, Sampling.RANDOM, options(2, 1))) {
            DatasetException e = assertThrows(DatasetException.class, loader::next);
            assertTrue(e.getMessage().contains("none of its 2 images can be read"), e.getMessage());
        }
    }

    @Test
    void aListOfWrongPathsFailsAfterAHundredWarnings() {
        for (int i = 0; i <= UnreadableImages.FAIL_FAST; i++) {
            TestImages.corrupt(dir.resolve("bad/a/" + i + ".png"));
        }
        Dataset dataset = Dataset.fromFolders(dir.resolve("bad"), warnings::add);
        try (BatchLoader loader = training(dataset, 8, Sampling.EPOCHS, options(1, 1))) {
            DatasetException e = assertThrows(DatasetException.class, loader::next);
            assertTrue(e.getMessage().contains("the first 100 images tried could not be read"), e.getMessage());
        }
        assertEquals(UnreadableImages.FAIL_FAST, warnings.size());
    }

    @Test
    void validationVisitsEachImageOnceInOrderLeavingOutUnreadableOnes() {
        colours(2);
        TestImages.corrupt(dir.resolve("train/class2/2.png"));
        Dataset dataset = Dataset.fromFolders(dir.resolve("train"), warnings::add);
        ImageTransform centre = ImageTransform.of(Preprocessing.CENTER_CROP, SIZE, SIZE);
        List<Path> seen = new ArrayList<>();
        try (BatchLoader loader = BatchLoader.validation(dataset, centre, 4, options(2, 0))) {
            List<Integer> sizes = new ArrayList<>();
            while (loader.hasNext()) {
                Batch batch = loader.next();
                sizes.add(batch.size());
                for (int i = 0; i < batch.size(); i++) {
                    Path path = batch.paths().get(i);
                    float[] expected = Preprocessing.CENTER_CROP.apply(ImageLoader.load(path), SIZE, SIZE).data();
                    float[] actual = Arrays.copyOfRange(batch.images(), i * batch.imageLength(),
                            (i + 1) * batch.imageLength());
                    assertArrayEquals(expected, actual);
                    assertEquals(dataset.firstClass(seen.size()), batch.labels()[i]);
                    seen.add(path);
                }
            }
            assertEquals(List.of(4, 2), sizes, "7 images, one unreadable, batches of 4");
            assertEquals(1, loader.skippedImages());
        }
        List<Path> expected = new ArrayList<>();
        for (int i = 0; i < dataset.size(); i++) {
            expected.add(dataset.path(i));
        }
        expected.remove(dir.resolve("train/class2/2.png"));
        assertEquals(expected, seen);
    }

    @Test
    void closeStopsEveryThreadAndLaterCallsFail() {
        Dataset dataset = colours(2);
        Set<String> before = loaderThreads();
        BatchLoader loader = training(dataset, 6, Sampling.RANDOM, options(2, 5));
        loader.next();
        assertTrue(loaderThreads().size() > before.size(), "workers run while open");
        loader.close();
        assertEquals(before, loaderThreads());
        assertThrows(IllegalStateException.class, loader::next);
    }

    private static Set<String> loaderThreads() {
        Set<String> names = new HashSet<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.isAlive() && thread.getName().startsWith("jdarknet-loader-")) {
                names.add(thread.getName());
            }
        }
        return names;
    }
}
