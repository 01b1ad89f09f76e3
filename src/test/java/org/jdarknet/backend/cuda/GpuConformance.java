package org.jdarknet.backend.cuda;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.jdarknet.Log;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.Backends;
import org.jdarknet.backend.reference.ReferenceBackend;
import org.jdarknet.classify.TopK;
import org.jdarknet.layers.Layer;
import org.jdarknet.layers.Parameter;
import org.jdarknet.net.NetConfig;
import org.jdarknet.net.Network;
import org.jdarknet.train.Solver;
import org.jdarknet.weights.RandomWeights;

/**
 * The conformance run of a fast backend against the reference backend, for a machine without
 * Java's test tooling (the GPU machine runs it from {@code scripts/gpu-check.sh}): every zoo model
 * with seeded random weights (head calibrated, as the CPU conformance tests do) must give the
 * reference's top-5 with probabilities within {@link #PROBABILITY_TOLERANCE} and every layer within
 * {@link #LAYER_TOLERANCE} of its largest magnitude; one training step on the models in
 * {@code --train} must give the reference's loss within {@link #LOSS_TOLERANCE} and the same
 * parameter changes within {@link #CHANGE_TOLERANCE} of each tensor's largest change. Prints one
 * PASS or FAIL line per check and exits 1 when any failed. The reference runs on every core, one
 * model per thread, while the backend under test works through the models one by one.
 *
 * <p>Usage: {@code GpuConformance [--backend cuda] [--models a,b] [--train a,b] [--train-size 64]
 * [--train-batch 8] [--size N]} (models by their cfg/ names; --size overrides the input size).
 */
public final class GpuConformance {
    static final long SEED = 2024;
    static final double LOGIT_STD = 2.5;
    static final double PROBABILITY_TOLERANCE = 1e-4;
    /**
     * Relative to a layer's largest magnitude. cuDNN's algorithms (implicit GEMM, Winograd, FFT)
     * sum in other orders than the reference and the differences grow with depth; the cpu backend
     * stays within 5e-5, and 1e-4 still tells any wrong index or formula (those are of order one).
     */
    static final double LAYER_TOLERANCE = 1e-4;
    static final double LOSS_TOLERANCE = 1e-4;
    static final double CHANGE_TOLERANCE = 1e-3;
    /** Absolute: changes that are rounding noise on both sides (the bias before a batch norm). */
    static final double NOISE = 1e-7;

    private final String backendName;
    private final List<String> failures = new ArrayList<>();

    private GpuConformance(String backendName) {
        this.backendName = backendName;
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        GpuConformance run = new GpuConformance(options.backend);
        run.inference(options.models, options.size);
        run.training(options.train, options.trainSize, options.trainBatch);
        System.out.println(run.failures.isEmpty() ? "conformance: all checks passed"
                : "conformance: " + run.failures.size() + " check(s) FAILED: " + String.join("; ", run.failures));
        System.exit(run.failures.isEmpty() ? 0 : 1);
    }

    /**
     * What a network computed on one input: every layer's output (null for a layer whose output is
     * the next layer's, {@link Layer#outputIsNextLayers}) and the probabilities.
     */
    private record Outputs(List<float[]> layers, float[] probabilities) {
        static Outputs of(Network network, float[] input) {
            network.forward(input);
            List<float[]> layers = new ArrayList<>();
            network.layers().forEach(layer -> layers.add(layer.outputIsNextLayers() ? null
                    : network.layerOutput(layer.index())));
            return new Outputs(layers, network.output());
        }
    }

    private void inference(List<String> models, int size) throws Exception {
        ExecutorService cores = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        List<Future<List<String>>> verdicts = new ArrayList<>();
        try (Backend backend = Backends.create(backendName, 0)) {
            System.out.println("conformance: " + backend.description() + " against the reference backend");
            for (String model : models) {
                Path cfg = sizedCfg(model, size);
                try (Network network = Network.build(cfg, backend, 1)) {
                    RandomWeights.fill(network, SEED);
                    NetConfig config = network.config();
                    float[] input = RandomWeights.testPattern(config.width(), config.height(), config.channels());
                    RandomWeights.calibrateHead(network, input, LOGIT_STD);
                    List<float[]> parameters = download(network);
                    long started = System.nanoTime();
                    Outputs actual = Outputs.of(network, input);
                    double milliseconds = (System.nanoTime() - started) / 1e6;
                    System.out.printf(Locale.ROOT, "conformance: %s at %dx%d ran on %s in %.1f ms (first run)%n", model,
                            config.width(), config.height(), backend.name(), milliseconds);
                    report(replayed(model, backend, network, input, actual.probabilities()));
                    verdicts.add(cores.submit(() -> compareWithReference(model, cfg, parameters, input, actual)));
                }
            }
        }
        for (Future<List<String>> verdict : verdicts) {
            verdict.get().forEach(this::report);
        }
        cores.shutdown();
    }

    /**
     * The first run above was eager; the second is captured as a CUDA graph and the third replays
     * it. Both must give the eager run's probabilities bit for bit (the same kernels and algorithms
     * on the same values), and on the cuda backend the network must now be a recorded graph.
     */
    private static String replayed(String model, Backend backend, Network network, float[] input, float[] eager) {
        boolean verbose = Log.verbose();
        Log.setVerbose(true); // a pass that cannot be captured says why, on stderr
        float[] captured;
        try {
            captured = network.output(input);
        } finally {
            Log.setVerbose(verbose);
        }
        long started = System.nanoTime();
        float[] replayed = network.output(input);
        double milliseconds = (System.nanoTime() - started) / 1e6;
        boolean cuda = backend instanceof CudaBackend;
        boolean recorded = cuda && ((CudaBackend) backend).isRecorded(network);
        String how = recorded ? "recorded as a CUDA graph" : cuda ? "NOT recorded (ran eagerly; the line above says why)"
                : "run eagerly (the " + backend.name() + " backend records nothing)";
        boolean identical = Arrays.equals(eager, captured) && Arrays.equals(eager, replayed);
        return verdict((recorded || !cuda) && identical, String.format(Locale.ROOT,
                "%s graph replay: %s, output %s the eager run's (largest difference %.2e), repeated in %.2f ms", model,
                how, identical ? "identical to" : "DIFFERENT from",
                Math.max(largestDifference(eager, captured), largestDifference(eager, replayed)), milliseconds));
    }

    private static List<String> compareWithReference(String model, Path cfg, List<float[]> parameters, float[] input,
                                                     Outputs actual) {
        try (Network reference = Network.build(cfg, new ReferenceBackend(), 1)) {
            upload(reference, parameters);
            Outputs expected = Outputs.of(reference, input);
            List<String> lines = new ArrayList<>();
            double worst = 0;
            String worstLayer = "none";
            for (Layer layer : reference.layers()) {
                if (expected.layers().get(layer.index()) == null || actual.layers().get(layer.index()) == null) {
                    continue;
                }
                double relative = relativeDifference(expected.layers().get(layer.index()), actual.layers().get(layer.index()));
                if (relative > worst) {
                    worst = relative;
                    worstLayer = layer.index() + " (" + layer.kind() + ")";
                }
            }
            lines.add(verdict(worst <= LAYER_TOLERANCE, String.format(Locale.ROOT,
                    "%s layers: worst difference %.2e of the layer's largest magnitude, at layer %s (allowed %.0e)", model, worst,
                    worstLayer, LAYER_TOLERANCE)));
            boolean sameTop = Arrays.equals(TopK.of(expected.probabilities(), 5), TopK.of(actual.probabilities(), 5));
            double probability = largestDifference(expected.probabilities(), actual.probabilities());
            lines.add(verdict(sameTop && probability <= PROBABILITY_TOLERANCE, String.format(Locale.ROOT,
                    "%s output: top-5 %s, largest probability difference %.2e (allowed %.0e)", model, sameTop ? "identical" : "DIFFERENT",
                    probability, PROBABILITY_TOLERANCE)));
            return lines;
        }
    }

    /** What one training step did: its loss and the parameters before and after the update. */
    private record Step(float loss, List<float[]> before, List<float[]> after) {
        static Step of(Path cfg, Backend backend, int batch) {
            try (Network network = trainingNetwork(cfg, backend, batch)) {
                SplittableRandom random = new SplittableRandom(3);
                float[] images = new float[network.inputShape().size()];
                for (int i = 0; i < images.length; i++) {
                    images[i] = (float) random.nextDouble();
                }
                int classes = network.outputLayer().outputShape().itemSize();
                float[] truth = new float[batch * classes];
                int[] labels = random.ints(batch, 0, classes).toArray();
                for (int item = 0; item < batch; item++) {
                    truth[item * classes + labels[item]] = 1;
                }
                List<float[]> before = download(network);
                float loss = network.train(images, truth);
                new Solver(network.config().solver()).update(network, network.config().solver().learningRate(),
                        network.config().batch());
                return new Step(loss, before, download(network));
            }
        }
    }

    /** The reference's steps run on the other cores while the backend under test takes its own one by one. */
    private void training(List<String> models, int size, int batch) throws Exception {
        ExecutorService cores = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        List<Future<Step>> expected = new ArrayList<>();
        for (String model : models) {
            Path cfg = sizedCfg(model, size);
            expected.add(cores.submit(() -> Step.of(cfg, new ReferenceBackend(), batch)));
        }
        for (int m = 0; m < models.size(); m++) {
            String model = models.get(m);
            Step actual;
            try (Backend backend = Backends.create(backendName, 0)) {
                actual = Step.of(sizedCfg(model, size), backend, batch);
            }
            Step reference = expected.get(m).get();
            double lossDifference = Math.abs(reference.loss() - actual.loss()) / Math.max(Math.abs(reference.loss()), Float.MIN_NORMAL);
            report(verdict(lossDifference <= LOSS_TOLERANCE, String.format(Locale.ROOT,
                    "%s training step (%s, batch %d): loss %.6f, reference %.6f, relative difference %.1e (allowed %.0e)",
                    model, size > 0 ? size + "x" + size : "cfg size", batch, actual.loss(), reference.loss(), lossDifference,
                    LOSS_TOLERANCE)));
            try (Network layout = Network.buildForTraining(sizedCfg(model, size), new ReferenceBackend(), 1)) {
                report(changes(model, layout, reference.before(), reference.after(), actual.after()));
            }
        }
        cores.shutdown();
    }

    /** The worst parameter change, relative to the largest change of its tensor, as one verdict line. */
    private static String changes(String model, Network reference, List<float[]> before, List<float[]> expected,
                                  List<float[]> actual) {
        int t = 0;
        double worst = 0;
        String where = "none";
        boolean within = true;
        for (Layer layer : reference.layers()) {
            for (Parameter parameter : layer.parameters()) {
                double largest = 0;
                double difference = 0;
                for (int i = 0; i < before.get(t).length; i++) {
                    largest = Math.max(largest, Math.abs(expected.get(t)[i] - before.get(t)[i]));
                    difference = Math.max(difference, Math.abs(actual.get(t)[i] - expected.get(t)[i]));
                }
                within &= difference <= CHANGE_TOLERANCE * largest + NOISE;
                if (largest > 100 * NOISE && difference / largest > worst) {
                    worst = difference / largest;
                    where = "layer " + layer.index() + " (" + layer.kind() + ") " + parameter.name();
                }
                t++;
            }
        }
        return verdict(within, String.format(Locale.ROOT,
                "%s training step: parameter changes agree, worst %.1e of the tensor's largest change, at %s (allowed %.0e + %.0e)",
                model, worst, where, CHANGE_TOLERANCE, NOISE));
    }

    private static Network trainingNetwork(Path cfg, Backend backend, int batch) {
        Network network = Network.buildForTraining(cfg, backend, batch);
        RandomWeights.fill(network, 5);
        network.seedTraining(6);
        return network;
    }

    private static List<float[]> download(Network network) {
        return network.layers().stream().flatMap(l -> l.parameters().stream()).map(p -> network.backend().download(p.value())).toList();
    }

    private static void upload(Network network, List<float[]> values) {
        List<Parameter> parameters = network.layers().stream().flatMap(l -> l.parameters().stream()).toList();
        for (int i = 0; i < parameters.size(); i++) {
            network.backend().upload(values.get(i), parameters.get(i).value());
        }
    }

    /** The largest difference relative to the largest magnitude of {@code expected}. */
    private static double relativeDifference(float[] expected, float[] actual) {
        double largest = 0;
        for (float value : expected) {
            largest = Math.max(largest, Math.abs(value));
        }
        return largestDifference(expected, actual) / Math.max(largest, Float.MIN_NORMAL);
    }

    private static double largestDifference(float[] expected, float[] actual) {
        if (expected.length != actual.length) {
            return Double.POSITIVE_INFINITY;
        }
        double difference = 0;
        for (int i = 0; i < expected.length; i++) {
            difference = Math.max(difference, Math.abs((double) expected[i] - actual[i]));
        }
        return difference;
    }

    /** {@code cfg/MODEL.cfg}, or a copy with another input size in its [net] section when {@code size} is positive. */
    private static Path sizedCfg(String model, int size) {
        Path cfg = Path.of("cfg", model + ".cfg");
        if (size <= 0) {
            return cfg;
        }
        try {
            String text = Files.readString(cfg).replaceFirst("(?m)^width=\\d+", "width=" + size)
                    .replaceFirst("(?m)^height=\\d+", "height=" + size);
            Path copy = Files.createTempDirectory("conformance").resolve(model + ".cfg");
            copy.toFile().getParentFile().deleteOnExit();
            copy.toFile().deleteOnExit();
            return Files.writeString(copy, text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String verdict(boolean passed, String line) {
        return (passed ? "PASS " : "FAIL ") + line;
    }

    private void report(String line) {
        System.out.println(line);
        if (line.startsWith("FAIL")) {
            failures.add(line.substring(5, line.indexOf(':') > 0 ? line.indexOf(':') : line.length()));
        }
    }

    /** The command line; the defaults are the whole zoo and the training models of the issue. */
    private record Options(String backend, List<String> models, int size, List<String> train, int trainSize, int trainBatch) {
        static Options parse(String[] args) throws IOException {
            String backend = "cuda";
            List<String> models = zoo();
            int size = 0;
            List<String> train = List.of("tiny", "darknet19", "darknet53", "resnet50", "densenet121", "fashion-mnist");
            int trainSize = 64;
            int trainBatch = 8;
            for (int i = 0; i + 1 < args.length; i += 2) {
                String value = args[i + 1];
                switch (args[i]) {
                    case "--backend" -> backend = value;
                    case "--models" -> models = names(value);
                    case "--size" -> size = Integer.parseInt(value);
                    case "--train" -> train = names(value);
                    case "--train-size" -> trainSize = Integer.parseInt(value);
                    case "--train-batch" -> trainBatch = Integer.parseInt(value);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            return new Options(backend, models, size, train, trainSize, trainBatch);
        }

        private static List<String> names(String list) {
            return list.isEmpty() ? List.of() : List.of(list.split(","));
        }

        private static List<String> zoo() throws IOException {
            try (Stream<Path> files = Files.list(Path.of("cfg"))) {
                return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".cfg"))
                        .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
            }
        }
    }
}
