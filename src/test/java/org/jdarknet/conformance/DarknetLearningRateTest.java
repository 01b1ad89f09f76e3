package org.jdarknet.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jdarknet.cfg.CfgParser;
import org.jdarknet.data.GlibcRand;
import org.jdarknet.net.NetConfig;
import org.jdarknet.net.SolverConfig;
import org.jdarknet.train.LearningRateSchedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every learning-rate policy and burn_in, read from a cfg as darknet reads it, against darknet's
 * own {@code get_current_rate}: live where darknet is installed (which also checks the goldens),
 * else against the goldens {@code scripts/oracle/make-rate-goldens.sh} made with it. The random
 * policy draws {@code rand()}: both sides draw glibc's sequence for the same seed. AlexeyAB's
 * sgdr, which this darknet lacks, is checked against the cosine it is defined by.
 */
class DarknetLearningRateTest {
    private static final Path CFGS = Path.of("src/test/resources/learning-rates");
    private static final Path GOLDEN = Path.of("src/test/resources/goldens/learning-rates.txt");

    /** One golden line: darknet's rate for a cfg at a batch number, rand() seeded with seed. */
    private record Rate(String cfg, int seed, long batch, float rate) {
        static Rate parse(String line) {
            String[] fields = line.split(" ");
            return new Rate(fields[0], Integer.parseInt(fields[1]), Long.parseLong(fields[2]),
                    Float.intBitsToFloat(Integer.parseUnsignedInt(fields[3], 16)));
        }
    }

    static Stream<String> cfgs() throws IOException {
        try (Stream<Path> files = Files.list(CFGS)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cfgs")
    void ratesAreDarknets(String name) throws IOException, InterruptedException {
        Path cfg = CFGS.resolve(name);
        List<Rate> golden = golden().getOrDefault(name, List.of());
        assertFalse(golden.isEmpty(), name + " has no goldens: run scripts/oracle/make-rate-goldens.sh");
        int seed = golden.get(0).seed();
        List<Long> batches = golden.stream().map(Rate::batch).toList();
        if (Darknet.installed()) {
            List<String> live = Darknet.learningRates(cfg, seed, batches);
            assertEquals(live, golden.stream().map(DarknetLearningRateTest::harnessLine).toList(),
                    name + ": the goldens differ from darknet's rates; run scripts/oracle/make-rate-goldens.sh");
        } else {
            System.err.println(name + ": the C darknet is not installed; comparing with the committed goldens");
        }
        LearningRateSchedule schedule = new LearningRateSchedule(solver(cfg), darknetUniform(seed));
        for (Rate expected : golden) {
            assertEquals(expected.rate(), schedule.rate(expected.batch()), name + " at batch " + expected.batch());
        }
    }

    /**
     * Cosine annealing with warm restarts: from learning_rate down to learning_rate_min over a
     * cycle of sgdr_cycle batches, each next cycle sgdr_mult times longer.
     */
    @Test
    void sgdrFollowsItsCosineAndRestarts(@TempDir Path dir) throws IOException {
        Path cfg = Files.writeString(dir.resolve("sgdr.cfg"), "[net]\nbatch=1\nwidth=1\nheight=1\nchannels=1\n"
                + "learning_rate=0.1\nlearning_rate_min=0.01\npolicy=sgdr\nsgdr_cycle=10\nsgdr_mult=2\n\n"
                + "[connected]\noutput=1\n");
        LearningRateSchedule schedule = new LearningRateSchedule(solver(cfg), darknetUniform(1));
        float max = .1f;
        float min = .01f;
        float middle = (max + min) / 2;
        // Cycles [0, 10], (10, 30], (30, 70]: each starts at the top, halves at its middle, ends at the floor.
        Map<Long, Float> expected = Map.of(0L, max, 5L, middle, 10L, min, 20L, middle, 30L, min, 50L, middle, 70L, min);
        expected.forEach((batch, rate) -> assertEquals(rate, schedule.rate(batch), 1e-6, "batch " + batch));
        double restart = min + (max - min) * (1 + Math.cos(Math.PI / 20)) / 2;
        assertEquals(restart, schedule.rate(11), 1e-6, "the first batch after a restart");
    }

    private static SolverConfig solver(Path cfg) {
        return NetConfig.parse(CfgParser.parseSections(cfg).get(0)).solver();
    }

    /** Darknet's {@code rand_uniform(0, 1)}: {@code (float) rand() / RAND_MAX}, in float. */
    private static RandomGenerator darknetUniform(int seed) {
        GlibcRand rand = new GlibcRand(seed);
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException("darknet's schedule draws rand_uniform(0, 1) only");
            }

            @Override
            public float nextFloat() {
                return (float) rand.getAsInt() / Integer.MAX_VALUE;
            }
        };
    }

    private static Map<String, List<Rate>> golden() throws IOException {
        return Files.readAllLines(GOLDEN).stream().filter(line -> !line.startsWith("#")).map(Rate::parse)
                .collect(Collectors.groupingBy(Rate::cfg, TreeMap::new, Collectors.toList()));
    }

    private static String harnessLine(Rate rate) {
        return rate.batch() + " " + String.format("%08x", Float.floatToRawIntBits(rate.rate()));
    }
}
