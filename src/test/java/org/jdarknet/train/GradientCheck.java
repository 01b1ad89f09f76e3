package org.jdarknet.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.jdarknet.backend.Backend;
import org.jdarknet.layers.Layer;
import org.jdarknet.layers.Parameter;
import org.jdarknet.net.Network;
import org.jdarknet.weights.RandomWeights;

/**
 * Finite differences against backward: for a small network and a fixed batch, the gradient each
 * learned parameter accumulated in one training pass must match the central difference of the
 * network's loss, {@code D(ε) = (L(θ+ε) - L(θ-ε)) / 2ε}, Richardson-extrapolated as
 * {@code (4 D(ε/2) - D(ε)) / 3} so that the error is O(ε⁴) and ε can stay well above float
 * rounding noise. Darknet's deltas are minus the gradient, and
 * for losses of the form {@code sum d^2} (sse, smooth) darknet drops the factor 2, which
 * {@code lossScale} accounts for.
 */
final class GradientCheck {
    /** Large enough that float rounding of the loss stays small against the difference. */
    private static final float EPSILON = 2e-2f;
    private static final int SAMPLES_PER_TENSOR = 12;

    private final Network network;
    private final float[] images;
    private final float[] truth;
    private final double lossScale;
    private final long passSeed;

    private GradientCheck(Network network, float[] images, float[] truth, double lossScale, long passSeed) {
        this.network = network;
        this.images = images;
        this.truth = truth;
        this.lossScale = lossScale;
        this.passSeed = passSeed;
    }

    /**
     * Builds {@code cfg} (text) for training with {@code batch} images and random weights on the
     * backend called {@code backendName} (see {@link TrainingBackends}), and checks every learned
     * tensor; {@code tolerance} is relative to the larger gradient (or 1e-2).
     */
    static void check(String backendName, String cfg, int batch, double lossScale, double tolerance) throws IOException {
        Path file = Files.createTempFile("gradient-check", ".cfg");
        try (Backend backend = TrainingBackends.create(backendName)) {
            Files.writeString(file, cfg);
            try (Network network = Network.buildForTraining(file, backend, batch)) {
                RandomWeights.fill(network, 7);
                perturbStatistics(network);
                SplittableRandom random = new SplittableRandom(11);
                float[] images = uniform(random, network.inputShape().size());
                float[] truth = oneHot(random, batch, network.outputLayer().outputShape().itemSize());
                new GradientCheck(network, images, truth, lossScale, 5).checkAll(tolerance);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Scales and biases away from their initial 1 and 0, so their gradients are exercised in general position. */
    private static void perturbStatistics(Network network) {
        SplittableRandom random = new SplittableRandom(3);
        for (Layer layer : network.layers()) {
            for (Parameter parameter : layer.parameters()) {
                if (parameter.kind() == Parameter.Kind.SCALES || parameter.kind() == Parameter.Kind.BIASES) {
                    float[] values = network.backend().download(parameter.value());
                    for (int i = 0; i < values.length; i++) {
                        values[i] += (float) (0.3 * (random.nextDouble() - 0.5));
                    }
                    network.backend().upload(values, parameter.value());
                }
            }
        }
    }

    private void checkAll(double tolerance) {
        List<Parameter> learned = new ArrayList<>();
        for (Layer layer : network.layers()) {
            layer.parameters().stream().filter(p -> p.gradient() != null).forEach(learned::add);
        }
        assertTrue(!learned.isEmpty(), "the network has learned parameters to check");
        learned.forEach(p -> network.backend().fill(p.gradient(), 0));
        loss();
        List<float[]> analytic = learned.stream().map(p -> network.backend().download(p.gradient())).toList();
        for (int t = 0; t < learned.size(); t++) {
            checkTensor(describe(learned.get(t)), learned.get(t), analytic.get(t), tolerance);
        }
    }

    private void checkTensor(String what, Parameter parameter, float[] delta, double tolerance) {
        float[] values = network.backend().download(parameter.value());
        int step = Math.max(1, values.length / SAMPLES_PER_TENSOR);
        for (int i = (int) (values.length * 0.37) % step; i < values.length; i += step) {
            double numeric = centralDifference(parameter, values, i);
            double analytic = -delta[i] / lossScale;
            double scale = Math.max(1e-2, Math.max(Math.abs(numeric), Math.abs(analytic)));
            int index = i;
            assertTrue(Math.abs(numeric - analytic) <= tolerance * scale, () -> what + "[" + index + "]: backward gives "
                    + analytic + ", finite differences " + numeric);
        }
    }

    private double centralDifference(Parameter parameter, float[] values, int i) {
        double wide = centralDifference(parameter, values, i, EPSILON);
        double narrow = centralDifference(parameter, values, i, EPSILON / 2);
        return (4 * narrow - wide) / 3;
    }

    private double centralDifference(Parameter parameter, float[] values, int i, float epsilon) {
        float original = values[i];
        values[i] = original + epsilon;
        network.backend().upload(values, parameter.value());
        double plus = loss();
        values[i] = original - epsilon;
        network.backend().upload(values, parameter.value());
        double minus = loss();
        values[i] = original;
        network.backend().upload(values, parameter.value());
        return (plus - minus) / ((double) (original + epsilon) - (double) (original - epsilon));
    }

    /** The loss of one training pass, with the same randomness (dropout, crops) every time. */
    private double loss() {
        network.seedTraining(passSeed);
        return network.train(images, truth);
    }

    private String describe(Parameter parameter) {
        for (Layer layer : network.layers()) {
            if (layer.parameters().contains(parameter)) {
                return "layer " + layer.index() + " (" + layer.kind() + ") " + parameter.name();
            }
        }
        return parameter.name();
    }

    private static float[] uniform(SplittableRandom random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextDouble();
        }
        return values;
    }

    private static float[] oneHot(SplittableRandom random, int batch, int classes) {
        float[] truth = new float[batch * classes];
        for (int b = 0; b < batch; b++) {
            truth[b * classes + random.nextInt(classes)] = 1;
        }
        return truth;
    }
}
