package org.jdarknet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdarknet.backend.reference.ReferenceBackend;
import org.jdarknet.bench.Csv;
import org.jdarknet.net.Network;
import org.jdarknet.testing.Json;
import org.jdarknet.weights.WeightsHeader;
import org.jdarknet.weights.WeightsReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jdarknet benchmark} end to end on the tiny model and the reference backend, one timed run
 * and no warm-up, so each case takes about a second. What is checked is what the command reports
 * about the model and how it handles its options, never how fast anything ran.
 */
class BenchmarkCommandTest {
    private static final String[] QUICK = {"--runs", "1", "--warmup", "0", "--warmup-time", "0", "--backend", "reference",
        "cfg/tiny.cfg"};

    @Test
    void textTableDescribesTheModel() {
        InProcess.Outcome outcome = benchmark();
        assertEquals(0, outcome.exitCode());
        List<String> lines = outcome.stdout().lines().toList();
        assertEquals(3, lines.size(), outcome.stdout());
        assertTrue(lines.get(1).matches("tiny\\s+224x224x3\\s+0\\.983\\s+1,046,488\\s+1\\s.*\\sreference\\s+\\d+"),
                lines.get(1));
        assertTrue(lines.get(2).startsWith("inference of one batch; runs: 1 timed after 0 warm-up; backend: reference"),
                lines.get(2));
    }

    /** A training step is three forward passes' worth of operations, on 16 images unless told otherwise. */
    @Test
    void trainTimesTrainingStepsOfSixteenImages() {
        InProcess.Outcome outcome = benchmark("--json", "--train");
        assertEquals(0, outcome.exitCode());
        Map<String, Object> tiny = Json.parseObject(outcome.stdout().strip());
        assertEquals("training", tiny.get("workload"));
        assertEquals(16.0, tiny.get("batch"));
        assertEquals(3 * 983_244_192.0, tiny.get("flops"));
    }

    @Test
    void jsonWithLayersTimesEveryLayerOnce() {
        InProcess.Outcome outcome = benchmark("--json", "--layers", "--batch", "2", "--threads", "1");
        assertEquals(0, outcome.exitCode());
        Map<String, Object> tiny = Json.parseObject(outcome.stdout().strip());
        assertEquals("tiny", tiny.get("model"));
        assertEquals(2.0, tiny.get("batch"));
        assertEquals(1.0, tiny.get("threads"));
        assertEquals(983_244_192.0, tiny.get("flops"));
        List<?> layers = (List<?>) tiny.get("layers");
        assertEquals(22, layers.size());
        double shares = layers.stream().mapToDouble(l -> (Double) ((Map<?, ?>) l).get("share")).sum();
        assertEquals(1, shares, 1e-3);
        List<Double> times = layers.stream().map(l -> (Double) ((Map<?, ?>) l).get("ms")).toList();
        assertEquals(times.stream().sorted((a, b) -> Double.compare(b, a)).toList(), times, "slowest first");
    }

    /** Every timed run is reported, for the model and each layer, with quartiles that summarise those runs. */
    @Test
    void jsonReportsEveryRunAndItsQuartiles() {
        InProcess.Outcome outcome = run("benchmark", "--json", "--layers", "--runs", "3", "--warmup", "0", "--warmup-time",
                "0", "--backend", "reference", "cfg/tiny.cfg");
        assertEquals(0, outcome.exitCode());
        Map<String, Object> tiny = Json.parseObject(outcome.stdout().strip());
        assertQuartilesOfItsRuns(tiny);
        List<?> layers = (List<?>) tiny.get("layers");
        for (Object layer : layers) {
            assertQuartilesOfItsRuns((Map<?, ?>) layer);
        }
    }

    /** Three runs a ≤ b ≤ c: the 25th percentile is (a+b)/2, the 75th (b+c)/2; JSON rounds each to 4 decimals. */
    private static void assertQuartilesOfItsRuns(Map<?, ?> timed) {
        List<Double> runs = ((List<?>) timed.get("runs_ms")).stream().map(Double.class::cast).sorted().toList();
        assertEquals(3, runs.size(), timed.toString());
        double p25 = (runs.get(0) + runs.get(1)) / 2;
        double p75 = (runs.get(1) + runs.get(2)) / 2;
        assertEquals(p25, (Double) timed.get("p25_ms"), 1e-4, timed.toString());
        assertEquals(p75, (Double) timed.get("p75_ms"), 1e-4, timed.toString());
        if (p25 >= 0.01) { // shorter ones are too rounded to check the ratio
            assertEquals(p75 / p25, (Double) timed.get("p75_p25"), 1e-4 + 1e-4 * (1 + p75 / p25) / p25, timed.toString());
        }
    }

    /** The warm-up runs {@code --warmup} times, and on while {@code --warmup-time} has not passed. */
    @Test
    void warmUpRunsAtLeastTheCountAndAtLeastTheTime() {
        assertEquals(2.0, warmupRuns("--warmup", "2", "--warmup-time", "0"));
        assertTrue(warmupRuns("--warmup", "0", "--warmup-time", "0.2") >= 1, "no run has taken 0.2 s before the first");
    }

    private static double warmupRuns(String... warmup) {
        List<String> args = new ArrayList<>(List.of("benchmark", "--json", "--runs", "1", "--backend", "reference"));
        args.addAll(List.of(warmup));
        args.add("cfg/fashion-mnist.cfg");
        InProcess.Outcome outcome = run(args.toArray(String[]::new));
        assertEquals(0, outcome.exitCode(), outcome.stdout());
        return (Double) Json.parseObject(outcome.stdout().strip()).get("warmup");
    }

    @Test
    void csvIsOneHeaderAndOneRowPerModel() {
        InProcess.Outcome outcome = benchmark("--csv");
        assertEquals(0, outcome.exitCode());
        List<String> lines = outcome.stdout().lines().toList();
        assertEquals(2, lines.size());
        List<String> header = Csv.fields(lines.get(0));
        List<String> row = Csv.fields(lines.get(1));
        assertEquals(header.size(), row.size());
        assertEquals("tiny", row.get(header.indexOf("model")));
        assertEquals("1046488", row.get(header.indexOf("parameters")));
    }

    @Test
    void savedWeightsAreAWholeWeightsFileForTheCfg(@TempDir Path directory) throws IOException {
        assertEquals(0, benchmark("--csv", "--save-weights", directory.toString()).exitCode());
        Path weights = directory.resolve("tiny.weights");
        try (Network network = Network.build(Path.of("cfg/tiny.cfg"), new ReferenceBackend(), 1)) {
            assertEquals(WeightsReader.bytesFor(network, WeightsHeader.current(0)), Files.size(weights));
            WeightsReader.load(network, weights, false);
        }
    }

    @Test
    void optionsThatCannotWorkAreRefused() {
        assertEquals(2, benchmark("--json", "--csv").exitCode(), "one machine-readable format at a time");
        assertEquals(2, benchmark("--csv", "--layers").exitCode(), "layers do not fit the CSV table");
        assertEquals(1, run("benchmark", "--runs", "0", "cfg/tiny.cfg").exitCode());
        assertEquals(1, run("benchmark", "--warmup=-1", "cfg/tiny.cfg").exitCode());
        assertEquals(1, run("benchmark", "--warmup-time=-1", "cfg/tiny.cfg").exitCode());
        assertEquals(1, run("benchmark", "--batch", "0", "cfg/tiny.cfg").exitCode());
        assertEquals(1, run("benchmark", "cfg/tiny.cfg", "cfg/no-such-model.cfg").exitCode(), "checked before running");
    }

    private static InProcess.Outcome benchmark(String... options) {
        String[] args = new String[1 + options.length + QUICK.length];
        args[0] = "benchmark";
        System.arraycopy(options, 0, args, 1, options.length);
        System.arraycopy(QUICK, 0, args, 1 + options.length, QUICK.length);
        return run(args);
    }

    private static InProcess.Outcome run(String... args) {
        return InProcess.run(args);
    }
}
