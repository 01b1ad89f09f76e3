package org.jdarknet.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.jdarknet.Log;
import org.jdarknet.backend.Backend;
import org.jdarknet.calibration.Calibration;
import org.jdarknet.net.Network;
import org.jdarknet.weights.RandomWeights;
import org.jdarknet.weights.WeightsWriter;

/**
 * Measures models on one backend: each cfg is built with seeded random weights (no weights file
 * needed), run untimed ({@code warmup} times, for at least {@code warmupSeconds}, and on until
 * the JIT has gone quiet, for at most {@value #MOST_WARMUP_FACTOR} times {@code warmupSeconds})
 * and then {@code runs} times timed. Progress goes to stderr,
 * one line per run, because a slow backend can take minutes per model.
 */
public final class Benchmark {
    /** The warm-up waits for a quiet JIT for at most this many times {@code --warmup-time}. */
    static final int MOST_WARMUP_FACTOR = 5;

    private final Backend backend;
    private final int threads;
    private final BenchmarkSettings settings;
    private final Function<Path, Calibration> calibrations;

    /** @param threads the worker threads the backend was created with, for the report */
    public Benchmark(Backend backend, int threads, BenchmarkSettings settings) {
        this(backend, threads, settings, cfg -> null);
    }

    /**
     * @param calibrations the ranges an int8 backend quantises each cfg's network with (measured
     *                     with the same random weights), null for none
     */
    public Benchmark(Backend backend, int threads, BenchmarkSettings settings, Function<Path, Calibration> calibrations) {
        this.backend = backend;
        this.threads = threads;
        this.settings = settings;
        this.calibrations = calibrations;
    }

    /** Measures each cfg in turn. */
    public List<BenchmarkResult> measureAll(List<Path> cfgs) {
        List<BenchmarkResult> results = new ArrayList<>();
        for (int i = 0; i < cfgs.size(); i++) {
            results.add(measure(cfgs.get(i), "[" + (i + 1) + "/" + cfgs.size() + "] "));
        }
        return results;
    }

    private BenchmarkResult measure(Path cfg, String position) {
        String model = modelName(cfg);
        String label = position + model;
        Log.info(label + ": building with random weights (seed " + settings.seed() + ")");
        try (Network network = settings.train() ? Network.buildForTraining(cfg, backend, settings.batch())
                : Network.build(cfg, backend, settings.batch(), calibrations.apply(cfg))) {
            RandomWeights.fill(network, settings.seed());
            saveWeights(network, model, label);
            Workload workload = settings.train() ? new TrainingStep(network) : new Inference(network);
            LayerClock clock = settings.layers() ? new LayerClock(network, settings.runs()) : null;
            int warmupRuns = warmUp(workload, label);
            Timings timings = Timings.of(timedRuns(workload, clock, label));
            return new BenchmarkResult(model, workload.name(), network.inputShape(), workload.flopsPerImage(),
                    network.parameterCount(), timings, warmupRuns, backend.name(), backend.description(),
                    threads, clock == null ? List.of() : clock.timings());
        }
    }

    /** The cfg file's name without {@code .cfg}: how reports and saved weights name a model. */
    static String modelName(Path cfg) {
        String name = cfg.getFileName().toString();
        return name.endsWith(".cfg") ? name.substring(0, name.length() - 4) : name;
    }

    private void saveWeights(Network network, String model, String label) {
        if (settings.saveWeights() != null) {
            Path file = settings.saveWeights().resolve(model + ".weights");
            WeightsWriter.save(network, file);
            Log.info(label + ": random weights saved to " + file);
        }
    }

    /**
     * The untimed runs: at least {@code warmup} of them, and more until {@code warmupSeconds} have
     * passed and the JIT is quiet, or {@value #MOST_WARMUP_FACTOR} times that. Returns how many.
     */
    private int warmUp(Workload workload, String label) {
        long start = System.nanoTime();
        long least = (long) (settings.warmupSeconds() * 1e9);
        long most = least * MOST_WARMUP_FACTOR;
        JitActivity jit = JitActivity.ofThisJvm();
        int runs = 0;
        while (runs < settings.warmup() || elapsedSince(start) < least
                || (!jit.quiet() && elapsedSince(start) < most)) {
            runs++;
            Log.info(runs <= settings.warmup() ? label + ": warm-up " + runs + "/" + settings.warmup()
                    : String.format(Locale.ROOT, "%s: warm-up %d (%.1f s of at least %.1f, until the JIT is quiet)",
                    label, runs, elapsedSince(start) / 1e9, settings.warmupSeconds()));
            workload.run(Network.LayerObserver.NONE);
        }
        return runs;
    }

    private static long elapsedSince(long start) {
        return System.nanoTime() - start;
    }

    /** Nanoseconds of each timed run; with a clock, every layer is timed too. */
    private long[] timedRuns(Workload workload, LayerClock clock, String label) {
        Network.LayerObserver observer = clock == null ? Network.LayerObserver.NONE : clock;
        long[] nanos = new long[settings.runs()];
        for (int run = 0; run < nanos.length; run++) {
            long start = System.nanoTime();
            workload.run(observer);
            nanos[run] = System.nanoTime() - start;
            Log.info(String.format(Locale.ROOT, "%s: run %d/%d: %.2f ms", label, run + 1, nanos.length, nanos[run] / 1e6));
        }
        return nanos;
    }
}
