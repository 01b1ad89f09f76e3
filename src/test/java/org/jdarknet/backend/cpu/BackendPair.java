package org.jdarknet.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.jdarknet.backend.Activation;
import org.jdarknet.backend.BatchNorm;
import org.jdarknet.backend.BatchNormStyle;
import org.jdarknet.backend.Epilogue;
import org.jdarknet.backend.Shape;
import org.jdarknet.backend.Tensor;
import org.jdarknet.backend.reference.ReferenceBackend;

/**
 * The reference backend (the oracle) and a cpu backend side by side: tensors created on both with
 * the same values, and assertions comparing them.
 */
final class BackendPair implements AutoCloseable {
    final ReferenceBackend reference = new ReferenceBackend();
    final CpuBackend cpu;

    /** The same tensor on both backends. */
    record Pair(Tensor reference, Tensor cpu) {
        Shape shape() {
            return reference.shape();
        }

        /** The cpu backend's tensor when {@code cpu}, else the reference one. */
        Tensor of(boolean cpu) {
            return cpu ? this.cpu : reference;
        }
    }

    private BackendPair(Layout.Format format) {
        cpu = new CpuBackend(0, format);
    }

    /**
     * A pair for each activation layout the cpu backend can use (it picks one per CPU, so all are
     * tested on any); skips the calling tests, saying why, where oneDNN's natives cannot load.
     */
    static List<BackendPair> everyLayout() {
        assumeNativesLoad();
        return Stream.of(Layout.Format.CHANNELS_LAST, Layout.Format.BLOCKED_16, Layout.Format.BLOCKED_8)
                .map(BackendPair::new).toList();
    }

    /**
     * Skips the calling test class where oneDNN's natives cannot load, and prints why: surefire
     * shows no reason for a class skipped in {@code @BeforeAll}.
     */
    static void assumeNativesLoad() {
        Optional<String> problem = CpuBackend.unavailableReason();
        problem.ifPresent(reason -> System.err.println("cpu backend tests skipped: " + reason));
        assumeTrue(problem.isEmpty(), () -> "cpu backend tests skipped: " + problem.orElseThrow());
    }

    static void closeAll(List<BackendPair> pairs) {
        if (pairs != null) {
            pairs.forEach(BackendPair::close);
        }
    }

    /** The activation layout of this pair's cpu backend, to name it in messages. */
    Layout.Format format() {
        return cpu.activationFormat();
    }

    Pair activation(Shape shape, float[] values) {
        Pair pair = new Pair(reference.allocate(shape), cpu.allocate(shape));
        upload(values, pair);
        return pair;
    }

    Pair activation(Shape shape) {
        return new Pair(reference.allocate(shape), cpu.allocate(shape));
    }

    Pair parameter(Shape shape, float[] values) {
        Pair pair = new Pair(reference.allocateParameter(shape), cpu.allocateParameter(shape));
        upload(values, pair);
        return pair;
    }

    /** The same epilogue on both backends. */
    record Epilogues(Epilogue reference, Epilogue cpu) {
    }

    /**
     * An epilogue with seeded parameters as trained networks have them: scales near 1, small
     * means, variances near 1 and small biases.
     *
     * @param style  the batch normalisation, null for none
     * @param biased whether there is a bias
     */
    Epilogues epilogue(int channels, BatchNormStyle style, boolean biased, Activation activation) {
        Shape vector = Shape.vector(channels);
        Pair biases = biased ? parameter(vector, random(channels, channels, 0.1)) : null;
        if (style == null) {
            return new Epilogues(new Epilogue(null, biased ? biases.reference() : null, activation),
                    new Epilogue(null, biased ? biases.cpu() : null, activation));
        }
        Pair scales = parameter(vector, shifted(random(channels + 1, channels, 0.15), 1));
        Pair mean = parameter(vector, random(channels + 2, channels, 0.2));
        Pair variance = parameter(vector, shifted(random(channels + 3, channels, 0.2), 1));
        return new Epilogues(
                new Epilogue(new BatchNorm(scales.reference(), mean.reference(), variance.reference(), style),
                        biased ? biases.reference() : null, activation),
                new Epilogue(new BatchNorm(scales.cpu(), mean.cpu(), variance.cpu(), style),
                        biased ? biases.cpu() : null, activation));
    }

    private static float[] shifted(float[] values, float shift) {
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.abs(values[i] + shift);
        }
        return values;
    }

    void upload(float[] values, Pair pair) {
        reference.upload(values, pair.reference());
        cpu.upload(values, pair.cpu());
    }

    /** Every value bit for bit, and the cpu tensor's padding still zero. */
    void assertIdentical(Pair pair, String what) {
        assertArrayEquals(reference.download(pair.reference()), cpu.download(pair.cpu()), format() + " " + what);
        assertPaddingZero(pair.cpu(), format() + " " + what);
    }

    /** Every value within {@code relative} of the largest magnitude, and the padding still zero. */
    void assertClose(Pair pair, double relative, String what) {
        float[] expected = reference.download(pair.reference());
        float[] actual = cpu.download(pair.cpu());
        String where = format() + " " + what;
        assertEquals(expected.length, actual.length, where + ": number of values");
        double largest = 0;
        double difference = 0;
        int worst = 0;
        for (int i = 0; i < expected.length; i++) {
            largest = Math.max(largest, Math.abs(expected[i]));
            double d = Math.abs((double) expected[i] - actual[i]);
            if (d > difference) {
                difference = d;
                worst = i;
            }
        }
        double tolerance = relative * Math.max(largest, 1e-6);
        int at = worst;
        double found = difference;
        assertTrue(found <= tolerance, () -> where + ": value " + at + " is " + actual[at] + ", reference " + expected[at]
                + " (difference " + found + " > " + tolerance + ")");
        assertPaddingZero(pair.cpu(), where);
    }

    /** The lanes of a blocked tensor's last channel block beyond its channel count are all zero. */
    static void assertPaddingZero(Tensor tensor, String what) {
        if (!(tensor instanceof ActivationTensor activation)) {
            return;
        }
        Layout layout = activation.layout();
        Shape shape = layout.shape();
        FloatBuffer values = activation.values();
        int points = shape.h() * shape.w();
        for (int n = 0; n < shape.n(); n++) {
            for (int c = shape.c(); c < layout.paddedChannels(); c++) {
                for (int i = 0, index = layout.plane(n, c); i < points; i++, index += layout.pointStride()) {
                    assertEquals(0f, values.get(index), what + ": padding channel " + c + " of item " + n);
                }
            }
        }
    }

    /** Seeded values, normally distributed with standard deviation {@code scale}. */
    static float[] random(long seed, int count, double scale) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            double u = 1.0 - random.nextDouble();
            values[i] = (float) (scale * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble()));
        }
        return values;
    }

    @Override
    public void close() {
        cpu.close();
    }
}
