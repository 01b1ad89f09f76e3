package org.jdarknet.train.parallel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.jdarknet.backend.Backend;
import org.jdarknet.data.Batch;
import org.jdarknet.layers.Layer;
import org.jdarknet.layers.Parameter;
import org.jdarknet.net.Network;
import org.jdarknet.train.TrainingBackends;
import org.jdarknet.weights.RandomWeights;

/** Small training cfgs, batches and parameter snapshots for the replica tests. */
final class ReplicaFixture {
    static final int CLASSES = 4;
    static final int SIZE = 8;
    private static final String NET = "[net]\nbatch=24\nsubdivisions=2\nwidth=" + SIZE + "\nheight=" + SIZE
            + "\nchannels=3\nlearning_rate=0.1\nmomentum=0.9\ndecay=0.0005\n";

    /** Convolution, pooling and connected layers, no batch norm: one network on a whole batch is the oracle. */
    static final String PLAIN = NET
            + "\n[convolutional]\nfilters=6\nsize=3\nstride=1\npad=1\nactivation=leaky\n"
            + "\n[maxpool]\nsize=2\nstride=2\n"
            + "\n[convolutional]\nfilters=5\nsize=3\nstride=1\npad=1\nactivation=logistic\n"
            + "\n[connected]\noutput=" + CLASSES + "\nactivation=linear\n\n[softmax]\n";

    /** Batch norm in a convolution, a standalone [batchnorm] and a connected layer. */
    static final String BATCH_NORM = NET
            + "\n[convolutional]\nfilters=6\nsize=3\nstride=1\npad=1\nbatch_normalize=1\nactivation=leaky\n"
            + "\n[maxpool]\nsize=2\nstride=2\n"
            + "\n[convolutional]\nfilters=5\nsize=1\nstride=1\npad=0\nactivation=linear\n\n[batchnorm]\n"
            + "\n[connected]\noutput=6\nbatch_normalize=1\nactivation=leaky\n"
            + "\n[connected]\noutput=" + CLASSES + "\nactivation=linear\n\n[softmax]\n";

    private ReplicaFixture() {
    }

    static Path write(Path dir, String name, String cfg) {
        try {
            return Files.writeString(dir.resolve(name + ".cfg"), cfg);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Backend> backends(String name, int count) {
        List<Backend> backends = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            backends.add(TrainingBackends.create(name));
        }
        return backends;
    }

    /** A training network of {@code batch} images with the seeded random values every test starts from. */
    static Network network(Path cfg, Backend backend, int batch) {
        Network network = Network.buildForTraining(cfg, backend, batch);
        RandomWeights.fill(network, 11);
        return network;
    }

    /** {@code count} networks, replica 0 with the starting values, the others as built (the replicas copy them). */
    static List<Network> unprepared(Path cfg, List<Backend> backends, int batch) {
        List<Network> networks = new ArrayList<>();
        networks.add(network(cfg, backends.get(0), batch));
        for (Backend backend : backends.subList(1, backends.size())) {
            networks.add(Network.buildForTraining(cfg, backend, batch));
        }
        return networks;
    }

    /** Random images in [0, 1] and one-hot truth. */
    static Batch batch(SplittableRandom random, int size) {
        float[] images = new float[size * 3 * SIZE * SIZE];
        for (int i = 0; i < images.length; i++) {
            images[i] = (float) random.nextDouble();
        }
        float[] truth = new float[size * CLASSES];
        int[] labels = new int[size];
        for (int item = 0; item < size; item++) {
            labels[item] = random.nextInt(CLASSES);
            truth[item * CLASSES + labels[item]] = 1;
        }
        return new Batch(size, SIZE, SIZE, CLASSES, images, truth, labels, Collections.nCopies(size, Path.of("x.png")));
    }

    /** Images {@code from .. from+count-1} of {@code batch}. */
    static Batch part(Batch batch, int from, int count) {
        int image = batch.imageLength();
        float[] images = Arrays.copyOfRange(batch.images(), from * image, (from + count) * image);
        float[] truth = Arrays.copyOfRange(batch.truth(), from * CLASSES, (from + count) * CLASSES);
        int[] labels = Arrays.copyOfRange(batch.labels(), from, from + count);
        return new Batch(count, SIZE, SIZE, CLASSES, images, truth, labels, batch.paths().subList(from, from + count));
    }

    /** What a network holds: its parameters' values, and their gradients (the momentum) where learned. */
    record Snapshot(List<String> names, List<float[]> values, List<float[]> gradients, List<Parameter.Kind> kinds) {
        static Snapshot of(Network network) {
            List<String> names = new ArrayList<>();
            List<float[]> values = new ArrayList<>();
            List<float[]> gradients = new ArrayList<>();
            List<Parameter.Kind> kinds = new ArrayList<>();
            for (Layer layer : network.layers()) {
                for (Parameter parameter : layer.parameters()) {
                    names.add("layer " + layer.index() + " " + parameter.name());
                    values.add(network.backend().download(parameter.value()));
                    gradients.add(parameter.gradient() == null ? null : network.backend().download(parameter.gradient()));
                    kinds.add(parameter.kind());
                }
            }
            return new Snapshot(names, values, gradients, kinds);
        }

        void assertIdentical(Snapshot other, String what) {
            for (int i = 0; i < names.size(); i++) {
                assertArrayEquals(values.get(i), other.values.get(i), what + ": " + names.get(i));
                if (gradients.get(i) != null) {
                    assertArrayEquals(gradients.get(i), other.gradients.get(i), what + ": " + names.get(i) + " momentum");
                }
            }
        }
    }

    /**
     * {@code actual} within {@code relative} of the largest value of {@code expected}'s tensor
     * (plus {@code absolute}, for tensors that are all near zero), element by element. Returns the
     * largest deviation relative to that largest value (0 for a tensor all within {@code absolute} of zero).
     */
    static double assertClose(float[] expected, float[] actual, double relative, double absolute, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double largest = 0;
        double deviation = 0;
        for (int i = 0; i < expected.length; i++) {
            largest = Math.max(largest, Math.abs(expected[i]));
            deviation = Math.max(deviation, Math.abs(expected[i] - actual[i]));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], relative * largest + absolute, what + " [" + i + "]");
        }
        return largest > absolute ? deviation / largest : 0;
    }

    /** From {@code before}, {@code actual} changed as {@code expected} did, within {@link #assertClose}'s bounds of the change. */
    static double assertSameChange(float[] before, float[] expected, float[] actual, double relative, double absolute,
                                 String what) {
        float[] expectedChange = new float[before.length];
        float[] actualChange = new float[before.length];
        for (int i = 0; i < before.length; i++) {
            expectedChange[i] = expected[i] - before[i];
            actualChange[i] = actual[i] - before[i];
        }
        return assertClose(expectedChange, actualChange, relative, absolute, what + " (change)");
    }
}
