package org.jdarknet.classify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.Backends;
import org.jdarknet.backend.cpu.CpuBackend;
import org.jdarknet.image.FloatImage;
import org.jdarknet.net.Network;
import org.jdarknet.weights.RandomWeights;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One classifier shared by many threads answers each image as a single thread does. */
class ClassifierThreadsTest {
    private static final Path CFG = Path.of("src/test/resources/train/colours.cfg");
    private static final int THREADS = 16;
    private static final int IMAGES_PER_THREAD = 20;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"reference", "cpu"})
    void manyThreadsGetTheAnswersOneThreadGets(String backendName) throws Exception {
        if (backendName.equals("cpu")) {
            Optional<String> problem = CpuBackend.unavailableReason();
            problem.ifPresent(reason -> System.err.println("cpu backend skipped: " + reason));
            assumeTrue(problem.isEmpty(), "cpu backend unavailable");
        }
        try (Backend backend = Backends.create(backendName, 2);
             Classifier classifier = Classifier.wrap(randomNetwork(backend), Labels.read(Files.writeString(dir.resolve("names.list"), "a\nb\nc\n")))) {
            List<FloatImage> images = images(THREADS * IMAGES_PER_THREAD);
            List<float[]> alone = new ArrayList<>();
            for (FloatImage image : images) {
                alone.add(classifier.probabilities(image));
            }
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            CountDownLatch start = new CountDownLatch(1);
            try {
                List<Future<List<float[]>>> answers = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    List<FloatImage> share = images.subList(t * IMAGES_PER_THREAD, (t + 1) * IMAGES_PER_THREAD);
                    answers.add(pool.submit(() -> {
                        start.await();
                        List<float[]> mine = new ArrayList<>();
                        for (FloatImage image : share) {
                            mine.add(classifier.probabilities(image));
                        }
                        return mine;
                    }));
                }
                start.countDown();
                for (int t = 0; t < THREADS; t++) {
                    List<float[]> mine = answers.get(t).get();
                    for (int i = 0; i < IMAGES_PER_THREAD; i++) {
                        int image = t * IMAGES_PER_THREAD + i;
                        assertArrayEquals(alone.get(image), mine.get(i), "image " + image + " on thread " + t);
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static Network randomNetwork(Backend backend) {
        Network network = Network.build(CFG, backend, 1);
        RandomWeights.fill(network, 5);
        return network;
    }

    /** Images different enough that a mixed-up answer shows: random pixels of random sizes. */
    private static List<FloatImage> images(int count) {
        SplittableRandom random = new SplittableRandom(11);
        List<FloatImage> images = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            FloatImage image = FloatImage.filled(10 + random.nextInt(10), 10 + random.nextInt(10), 3, 0);
            for (int p = 0; p < image.data().length; p++) {
                image.data()[p] = (float) random.nextDouble();
            }
            images.add(image);
        }
        return images;
    }
}
