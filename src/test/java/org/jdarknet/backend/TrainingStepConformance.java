package org.jdarknet.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.jdarknet.layers.Layer;
import org.jdarknet.layers.Parameter;
import org.jdarknet.net.Network;
import org.jdarknet.train.Solver;
import org.jdarknet.weights.RandomWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whole training steps on the tested backend, in each variant, against the reference backend:
 * from the same weights on the same batch, forward with batch statistics, backward and the
 * solver's update (momentum and decay included) give the same loss within {@link Tolerances#loss}
 * and the same updated parameters, each parameter's change within {@link Tolerances#change} of
 * the largest change in its tensor. The cfgs cover convolutions with and without batch norm,
 * groups and strides, max and average pooling, both kinds of shortcut, a route, connected layers
 * with batch norm, dropout, softmax, a standalone batchnorm layer and a cost layer; activations
 * the cpu backend differentiates with oneDNN and ones it does in Java.
 */
public abstract class TrainingStepConformance extends BackendConformance {
    private static final int STEPS = 2;

    @TempDir
    Path dir;

    private static final String NET = "[net]\nbatch=8\nwidth=12\nheight=12\nchannels=3\nlearning_rate=0.1\n"
            + "momentum=0.9\ndecay=0.0005\n";

    static Stream<Arguments> cfgs() {
        return Stream.of(
                Arguments.of("convolutions", NET
                        + conv(16, 3, 1, 1, true, "leaky") + "\n[maxpool]\nsize=2\nstride=2\n"
                        + conv(20, 3, 2, 4, true, "logistic") + conv(5, 1, 1, 1, false, "linear")
                        + "\n[avgpool]\n\n[softmax]\n"),
                Arguments.of("residual", NET
                        + conv(16, 3, 1, 1, true, "leaky") + conv(16, 3, 1, 1, false, "mish")
                        + "\n[shortcut]\nfrom=-2\nactivation=leaky\n" + conv(24, 3, 2, 1, true, "relu")
                        + "\n[shortcut]\nfrom=-2\nalpha=0.5\nbeta=2\n\n[route]\nlayers=-1,-2\n"
                        + "\n[maxpool]\nsize=3\nstride=2\n\n[connected]\noutput=10\nbatch_normalize=1\nactivation=leaky\n"
                        + "\n[dropout]\nprobability=0.3\n\n[connected]\noutput=4\nactivation=linear\n\n[softmax]\n"),
                Arguments.of("cost", NET
                        + conv(6, 3, 1, 1, false, "linear") + "\n[batchnorm]\n" + conv(7, 3, 2, 1, true, "tanh")
                        + "\n[avgpool]\n\n[connected]\noutput=3\nactivation=logistic\n\n[cost]\ntype=sse\n"));
    }

    private static String conv(int filters, int size, int stride, int groups, boolean batchNormalize, String activation) {
        return "\n[convolutional]\nfilters=" + filters + "\nsize=" + size + "\nstride=" + stride + "\npad=1\ngroups="
                + groups + (batchNormalize ? "\nbatch_normalize=1" : "") + "\nactivation=" + activation + "\n";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cfgs")
    void stepsAgreeWithTheReference(String name, String text) throws IOException {
        Path cfg = dir.resolve(name + ".cfg");
        Files.writeString(cfg, text);
        for (BackendPair pair : pairs) {
            try (Network reference = trainingNetwork(cfg, pair.reference); Network tested = trainingNetwork(cfg, pair.tested)) {
                SplittableRandom random = new SplittableRandom(3);
                for (int step = 0; step < STEPS; step++) {
                    String what = name + " on " + pair.name() + ", step " + (step + 1);
                    float[] images = images(random, reference);
                    float[] truth = oneHot(random, reference);
                    float[][] before = parameters(reference);
                    float expected = reference.train(images, truth);
                    float actual = tested.train(images, truth);
                    assertEquals(expected, actual, tolerances().loss() * Math.abs(expected), what + ": loss");
                    System.out.printf("%s: loss %.8f, reference %.8f%n", what, actual, expected);
                    update(reference);
                    update(tested);
                    assertSameChanges(before, parameters(reference), parameters(tested), reference.layers(), what);
                }
            }
        }
    }

    /** An inference pass after training steps sees the updated weights and statistics (no stale folded copies). */
    @Test
    void inferenceAfterTrainingUsesTheNewValues() throws IOException {
        Path cfg = dir.resolve("inference.cfg");
        Files.writeString(cfg, cfgs().findFirst().orElseThrow().get()[1].toString());
        for (BackendPair pair : pairs) {
            try (Network trained = trainingNetwork(cfg, pair.tested); Network fresh = Network.build(cfg, pair.tested, 8)) {
                SplittableRandom random = new SplittableRandom(4);
                float[] images = images(random, trained);
                trained.output(images);
                for (int step = 0; step < STEPS; step++) {
                    trained.train(images(random, trained), oneHot(random, trained));
                    update(trained);
                }
                copyParameters(trained, fresh);
                float[] expected = fresh.output(images);
                float[] actual = trained.output(images);
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], actual[i], 1e-6, pair.name() + ": output " + i);
                }
            }
        }
    }

    private static Network trainingNetwork(Path cfg, Backend backend) {
        Network network = Network.buildForTraining(cfg, backend, 8);
        RandomWeights.fill(network, 5);
        network.seedTraining(6);
        return network;
    }

    private static void update(Network network) {
        new Solver(network.config().solver()).update(network, network.config().solver().learningRate(),
                network.config().batch());
    }

    private static float[] images(SplittableRandom random, Network network) {
        float[] images = new float[network.inputShape().size()];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) random.nextDouble();
        }
        return images;
    }

    private static float[] oneHot(SplittableRandom random, Network network) {
        int classes = network.outputLayer().outputShape().itemSize();
        float[] truth = new float[network.inputShape().n() * classes];
        for (int b = 0; b < network.inputShape().n(); b++) {
            truth[b * classes + random.nextInt(classes)] = 1;
        }
        return truth;
    }

    private static float[][] parameters(Network network) {
        return network.layers().stream().flatMap(l -> l.parameters().stream())
                .map(p -> network.backend().download(p.value())).toArray(float[][]::new);
    }

    private void assertSameChanges(float[][] before, float[][] reference, float[][] tested, List<Layer> layers,
                                          String what) {
        int t = 0;
        double worst = 0;
        for (Layer layer : layers) {
            for (Parameter parameter : layer.parameters()) {
                double largest = 0;
                double difference = 0;
                for (int i = 0; i < before[t].length; i++) {
                    largest = Math.max(largest, Math.abs(reference[t][i] - before[t][i]));
                    difference = Math.max(difference, Math.abs(tested[t][i] - reference[t][i]));
                }
                double found = difference;
                double allowed = tolerances().change() * largest + tolerances().noise();
                String where = what + ": layer " + layer.index() + " (" + layer.kind() + ") " + parameter.name();
                assertTrue(found <= allowed, () -> where + " differs by " + found + ", allowed " + allowed);
                if (largest > 100 * tolerances().noise()) {
                    worst = Math.max(worst, found / largest);
                }
                t++;
            }
        }
        System.out.printf("%s: loss and changes agree, worst change %.1e of the tensor's largest (changes above 1e-5)%n", what, worst);
    }
}
