package org.jdarknet.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.jdarknet.backend.reference.ReferenceBackend;

/**
 * The reference backend (the oracle) and one variant of a backend under test side by side: tensors
 * created on both with the same values, and assertions comparing them.
 */
public final class BackendPair implements AutoCloseable {
    public final ReferenceBackend reference = new ReferenceBackend();
    public final Backend tested;
    private final String name;
    private final BackendUnderTest subject;

    /** The same tensor on both backends. */
    public record Pair(Tensor reference, Tensor tested) {
        public Shape shape() {
            return reference.shape();
        }

        /** The tested backend's tensor when {@code tested}, else the reference one. */
        public Tensor of(boolean tested) {
            return tested ? this.tested : reference;
        }
    }

    BackendPair(BackendUnderTest subject, BackendUnderTest.Variant variant) {
        this.subject = subject;
        this.name = variant.name();
        this.tested = variant.create().get();
    }

    /** The variant of the tested backend, to name it in messages. */
    public String name() {
        return name;
    }

    public Pair activation(Shape shape, float[] values) {
        Pair pair = new Pair(reference.allocate(shape), tested.allocate(shape));
        upload(values, pair);
        return pair;
    }

    public Pair activation(Shape shape) {
        return new Pair(reference.allocate(shape), tested.allocate(shape));
    }

    public Pair parameter(Shape shape, float[] values) {
        Pair pair = new Pair(reference.allocateParameter(shape), tested.allocateParameter(shape));
        upload(values, pair);
        return pair;
    }

    /** The same epilogue on both backends. */
    public record Epilogues(Epilogue reference, Epilogue tested) {

        /** Both followed by the residual {@code activation(alpha*output + beta*from)}. */
        public Epilogues withResidual(Pair from, float alpha, float beta, Activation activation) {
            return new Epilogues(reference.withResidual(new Epilogue.Residual(from.reference(), alpha, beta, activation)),
                    tested.withResidual(new Epilogue.Residual(from.tested(), alpha, beta, activation)));
        }
    }

    /**
     * An epilogue with seeded parameters as trained networks have them: scales near 1, small
     * means, variances near 1 and small biases.
     *
     * @param style  the batch normalisation, null for none
     * @param biased whether there is a bias
     */
    public Epilogues epilogue(int channels, BatchNormStyle style, boolean biased, Activation activation) {
        Shape vector = Shape.vector(channels);
        Pair biases = biased ? parameter(vector, random(channels, channels, 0.1)) : null;
        if (style == null) {
            return new Epilogues(new Epilogue(null, biased ? biases.reference() : null, activation),
                    new Epilogue(null, biased ? biases.tested() : null, activation));
        }
        Pair scales = parameter(vector, shifted(random(channels + 1, channels, 0.15), 1));
        Pair mean = parameter(vector, random(channels + 2, channels, 0.2));
        Pair variance = parameter(vector, shifted(random(channels + 3, channels, 0.2), 1));
        return new Epilogues(
                new Epilogue(new BatchNorm(scales.reference(), mean.reference(), variance.reference(), style),
                        biased ? biases.reference() : null, activation),
                new Epilogue(new BatchNorm(scales.tested(), mean.tested(), variance.tested(), style),
                        biased ? biases.tested() : null, activation));
    }

    private static float[] shifted(float[] values, float shift) {
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.abs(values[i] + shift);
        }
        return values;
    }

    public void upload(float[] values, Pair pair) {
        reference.upload(values, pair.reference());
        tested.upload(values, pair.tested());
    }

    /** Every value bit for bit, and the tested backend's invariants kept. */
    public void assertIdentical(Pair pair, String what) {
        assertArrayEquals(reference.download(pair.reference()), tested.download(pair.tested()), name + " " + what);
        subject.assertInvariants(pair.tested(), name + " " + what);
    }

    /**
     * Every value within {@code relative} of the largest magnitude (bit for bit when 0), and the
     * tested backend's invariants kept.
     */
    public void assertClose(Pair pair, double relative, String what) {
        if (relative == 0) {
            assertIdentical(pair, what);
            return;
        }
        float[] expected = reference.download(pair.reference());
        float[] actual = tested.download(pair.tested());
        String where = name + " " + what;
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
        subject.assertInvariants(pair.tested(), where);
    }

    /** Seeded values, normally distributed with standard deviation {@code scale}. */
    public static float[] random(long seed, int count, double scale) {
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
        tested.close();
    }
}
