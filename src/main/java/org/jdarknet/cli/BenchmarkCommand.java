package org.jdarknet.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.jdarknet.AtomicFile;
import org.jdarknet.UsageException;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.Precision;
import org.jdarknet.bench.Benchmark;
import org.jdarknet.bench.BenchmarkResult;
import org.jdarknet.bench.BenchmarkSettings;
import org.jdarknet.bench.Report;
import org.jdarknet.bench.Zoo;
import org.jdarknet.calibration.Calibration;
import org.jdarknet.calibration.Calibrator;
import org.jdarknet.cfg.CfgException;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jdarknet benchmark [CFG...]}: how fast each network runs here, with seeded random weights. */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = {"Times networks with seeded random weights: no weights file needed.",
                "Prints per model: input size, BFLOPs, parameters, batch, median/min/max ms,",
                "images/s, GFLOP/s, backend and threads. Progress goes to stderr."})
final class BenchmarkCommand implements Callable<Integer> {
    private static final Path ZOO = Path.of("cfg");
    private static final Path SAMPLE_IMAGES = Path.of("data");

    @Parameters(paramLabel = "CFG", arity = "0..*", description = "Networks to time (default: every cfg/*.cfg).")
    List<Path> cfgs = new ArrayList<>();

    @Option(names = "--batch", paramLabel = "N",
            description = "Images per run (default: 1, or 16 with --train, where batch norm needs several).")
    Integer batch;

    @Option(names = "--train", description = "Time one training step per run (forward, backward, SGD update).")
    boolean train;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "10", description = "Timed runs (default: 10).")
    int runs;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "3",
            description = "Untimed runs first, for the JIT and caches (default: 3).")
    int warmup;

    @Option(names = "--warmup-time", paramLabel = "SECONDS", defaultValue = "2",
            description = "Keep warming up until this much time has passed and then until the JIT is quiet (at most"
                    + " five times as long): the JVM compiles on the cores the backend computes on"
                    + " (default: ${DEFAULT-VALUE}; 0: just the --warmup runs).")
    double warmupTime;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seed of the random weights (default: 1).")
    long seed;

    @Option(names = "--layers", description = "Also time every layer; prints them slowest first.")
    boolean layers;

    @ArgGroup(exclusive = true)
    MachineReadable machineReadable;

    /** For scripts/bench-peers.sh: other implementations time the very weights we time. */
    @Option(names = "--save-weights", paramLabel = "DIR", hidden = true,
            description = "Also write each model's random weights to DIR/MODEL.weights.")
    Path saveWeights;

    @Mixin
    BackendOptions backendOptions;

    @Option(names = "--precision", paramLabel = "P", defaultValue = "fp32",
            description = "Arithmetic: fp32 (darknet's), bf16 or int8 (the cpu backend; int8 is calibrated on the "
                    + "sample images data/*.jpg with the same random weights). Default: ${DEFAULT-VALUE}.")
    String precision;

    @Spec
    CommandSpec spec;

    static final class MachineReadable {
        @Option(names = "--json", required = true, description = "JSON Lines on stdout: one object per model.")
        boolean json;

        @Option(names = "--csv", required = true, description = "CSV on stdout: one row per model.")
        boolean csv;
    }

    @Override
    public Integer call() {
        if (layers && machineReadable != null && machineReadable.csv) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--layers does not fit one CSV table; use --json or the text table");
        }
        int images = batch != null ? batch : train ? 16 : 1;
        BenchmarkSettings settings = new BenchmarkSettings(images, runs, warmup, warmupTime, seed, layers, saveWeights, train);
        List<Path> models = models();
        Precision arithmetic = Precision.parse(precision);
        if (train && arithmetic != Precision.FP32) {
            throw new UsageException("--train times training, which is fp32; --precision is for inference");
        }
        List<Path> calibrationImages = arithmetic == Precision.INT8 ? sampleImages() : List.of();
        try (Backend backend = backendOptions.create(arithmetic);
             Backend fp32 = arithmetic == Precision.INT8 ? backendOptions.create(Precision.FP32) : null) {
            Function<Path, Calibration> calibrations = fp32 == null ? cfg -> null
                    : cfg -> Calibrator.withRandomWeights(cfg, seed, fp32, calibrationImages);
            List<BenchmarkResult> results = new Benchmark(backend, threads(), settings, calibrations).measureAll(models);
            report().write(results, System.out);
            return 0;
        }
    }

    /** What int8 is calibrated on: the sample images {@code make} fetches (data/*.jpg). */
    private static List<Path> sampleImages() {
        Path data = Resources.locate(SAMPLE_IMAGES);
        List<Path> images = new ArrayList<>();
        if (Files.isDirectory(data)) {
            try (DirectoryStream<Path> jpegs = Files.newDirectoryStream(data, "*.jpg")) {
                jpegs.forEach(images::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + data + ": " + AtomicFile.reason(e), e);
            }
        }
        Collections.sort(images);
        if (images.isEmpty()) {
            throw new UsageException("benchmark --precision int8 calibrates on the sample images " + data
                    + "/*.jpg, and there are none ('make data' fetches them)");
        }
        return images;
    }

    /** The cfgs named, or the zoo; all checked first, so that a typo does not end a long run halfway. */
    private List<Path> models() {
        if (cfgs.isEmpty()) {
            return Zoo.cfgs(Resources.locate(ZOO));
        }
        List<Path> located = cfgs.stream().map(Resources::locate).toList();
        for (Path cfg : located) {
            if (!Files.isRegularFile(cfg)) {
                throw new CfgException(cfg, "file not found");
            }
        }
        return located;
    }

    /** The threads asked for, with 0 (the default) meaning one per core. */
    private int threads() {
        return backendOptions.threads > 0 ? backendOptions.threads : Runtime.getRuntime().availableProcessors();
    }

    private Report report() {
        if (machineReadable == null) {
            return Report.text();
        }
        return machineReadable.json ? Report.json() : Report.csv();
    }
}
