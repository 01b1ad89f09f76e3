package org.jdarknet.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.jdarknet.backend.Activation;
import org.jdarknet.backend.BackendPair;
import org.jdarknet.backend.ConvolutionSpec;
import org.jdarknet.backend.Epilogue;
import org.jdarknet.backend.PoolSpec;
import org.jdarknet.backend.Precision;
import org.jdarknet.backend.Quantization;
import org.jdarknet.backend.Shape;
import org.jdarknet.backend.Tensor;
import org.jdarknet.backend.reference.ReferenceBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Two int8 convolutions handing over a quantised tensor ({@code Backend.allocateQuantised}), against
 * {@link Int8Arithmetic}, the integer arithmetic of the shared rules in Java: the first one's bytes
 * are its emulated outputs quantised with the second one's input range, as that one would have
 * rounded them ({@link Quantization#quantize}; oneDNN multiplies by the scale's reciprocal, so an
 * output within a float rounding of a half step may land one step off), and the second one's
 * outputs are the emulated convolution of exactly those integers, within a few float roundings
 * ({@link Int8Arithmetic.Result#tight}); with a residual after it (darknet53's 3x3 convolutions
 * read a hand-off and end with their block's shortcut), {@code activation(alpha*y + beta*from)} of
 * those outputs, within that bound scaled by alpha plus the float rounding of the sum.
 */
class CpuInt8HandOffTest {
    private static CpuBackend int8;

    @BeforeAll
    static void open() {
        CpuBackendUnderTest.assumeAvailable();
        int8 = new CpuBackend(0, Precision.INT8);
    }

    @AfterAll
    static void close() {
        if (int8 != null) {
            int8.close();
        }
    }

    @ParameterizedTest
    @CsvSource({
        // channels, size, filters, activation of the first; size, filters, activation of the second;
        // share of the range; alpha and beta of a residual after the second (beta 0: none)
        "16, 1, 32, LEAKY, 3, 24, LEAKY, 1, 0, 0",     // 1x1 then 3x3, as in the resnets' blocks
        "24, 3, 24, LINEAR, 1, 16, RELU, 1, 0, 0",     // linear: negative values handed over
        "16, 3, 32, LEAKY, 3, 16, LINEAR, 0.5, 0, 0",  // a range half the largest |value|: the hand-off saturates
        "16, 1, 8, LEAKY, 3, 16, LEAKY, 1, 1, 1",      // darknet53's block: 1x1, then 3x3 and the shortcut
        "8, 1, 16, LEAKY, 1, 8, LINEAR, 1, 0.5, 2",    // a residual with factors
        "8, 3, 16, PLSE, 1, 8, LEAKY, 1, 0, 0"})       // an activation oneDNN lacks: Java, then quantised
    void theNextConvolutionReadsTheIntegersItWouldHaveRounded(int channels, int size, int filters, Activation activation,
            int nextSize, int nextFilters, Activation nextActivation, float share, float alpha, float beta) {
        ConvolutionCase first = layer(new Shape(1, channels, 12, 11), filters, size, activation, 7);
        float range = first.inputRange();
        Int8Arithmetic.Result written = Int8Arithmetic.emulate(first, range, halvesWeights());
        float handOffRange = largest(written.values()) * share;
        ConvolutionCase second = layer(first.spec().output(), nextFilters, nextSize, nextActivation, 11);
        try (Tensor in = int8.allocate(first.spec().input());
             Tensor handOff = int8.allocateQuantised(first.spec().output(), handOffRange);
             Tensor out = int8.allocate(second.spec().output())) {
            assertTrue(ActivationTensor.of(handOff).quantised(), "an int8 backend stores the hand-off in bytes");
            int8.upload(first.input(), in);
            first.withSpec(first.spec().withInputRange(range)).forward(int8, in, handOff, null);
            float[] handed = int8.download(handOff);
            assertQuantised(written, handOffRange, handed);
            ConvolutionCase reading = second.withInput(handed).withSpec(second.spec().withInputRange(handOffRange));
            float[] from = BackendPair.random(17, second.spec().output().size(), 1);
            reading.forward(int8, handOff, out, beta == 0 ? null
                    : new ConvolutionCase.Residual(from, alpha, beta, Activation.LINEAR));
            Int8Arithmetic.Result emulated = Int8Arithmetic.emulate(second.withInput(handed), handOffRange,
                    halvesWeights());
            Int8Arithmetic.Result expected = beta == 0 ? emulated
                    : Int8Arithmetic.withResidual(emulated, from, alpha, beta, Activation.LINEAR);
            float[] actual = int8.download(out);
            assertArithmetic(expected, actual);
        }
    }

    /**
     * A residual stream in bytes (the resnets' and darknet53's blocks, from one fused shortcut to
     * the next): the convolution adds a quantised {@code from}'s values, the steps it holds, and
     * writes {@code activation(alpha*y + beta*from)} as floats or quantised with its own range
     * (four fifths of the largest sum, so that some saturate): the integer arithmetic's outputs
     * and those values, within its bound scaled by alpha plus the float rounding of the sum, and
     * quantised as {@link #assertQuantised} allows. With an activation oneDNN lacks the residual
     * is composed after the convolution, from the floats of {@code from}. A {@code from} of twice
     * the size and half the channels is darknet's sampled sum (the resnets' first block of a
     * stage): the values it adds are where the reference backend's shortcut puts them.
     */
    @ParameterizedTest
    @CsvSource({
        // size, activation; alpha, beta and activation of the residual; whether from and the output
        // are quantised; from's channels and scale (its size over the output's)
        "1, LINEAR, 1, 1, LEAKY, true, true, 24, 1",     // the resnets' third convolution and shortcut
        "3, LEAKY, 1, 1, LINEAR, true, true, 24, 1",     // darknet53's 3x3 and shortcut
        "1, LINEAR, 0.5, 2, LINEAR, true, false, 24, 1", // factors, into floats (a stream's last block)
        "1, LINEAR, 1, 1, LEAKY, false, true, 24, 1",    // floats added, bytes written (a stream's first block)
        "3, PLSE, 1, 1, LEAKY, true, true, 24, 1",       // composed: Java activation, the residual, then quantised
        "1, LINEAR, 1, 1, LEAKY, true, true, 12, 2",     // the sampled sum of a stage's first block
        "1, LINEAR, 1, 1, LEAKY, false, false, 12, 2"})  // the same in floats
    void aResidualStreamAddsAndWritesBytes(int size, Activation activation, float alpha, float beta,
            Activation residualActivation, boolean quantisedFrom, boolean quantisedOutput, int fromChannels,
            int fromScale) {
        ConvolutionCase layer = layer(new Shape(1, 16, 9, 10), 24, size, activation, 29);
        float range = layer.inputRange();
        Shape output = layer.spec().output();
        Shape fromShape = new Shape(1, fromChannels, output.h() * fromScale, output.w() * fromScale);
        float[] floats = BackendPair.random(31, fromShape.size(), 2);
        try (Tensor in = int8.allocate(layer.spec().input());
             Tensor from = quantisedFrom ? quantised(floats, fromShape, largest(floats)) : int8.allocate(fromShape)) {
            if (!quantisedFrom) {
                int8.upload(floats, from);
            }
            float[] added = sampledOnto(output, fromShape, int8.download(from));
            Int8Arithmetic.Result y = Int8Arithmetic.emulate(layer, range, halvesWeights());
            Int8Arithmetic.Result expected = Int8Arithmetic.withResidual(y, added, alpha, beta, residualActivation);
            float outputRange = quantisedOutput ? largest(expected.values()) * 0.8f : Float.NaN;
            try (Tensor out = quantisedOutput ? int8.allocateQuantised(output, outputRange) : int8.allocate(output)) {
                int8.upload(layer.input(), in);
                layer.withSpec(layer.spec().withInputRange(range)).forwardAdding(int8, in, out,
                        new Epilogue.Residual(from, alpha, beta, residualActivation));
                float[] actual = int8.download(out);
                if (quantisedOutput) {
                    assertQuantised(expected, outputRange, actual);
                    return;
                }
                assertArithmetic(expected, actual);
            }
        }
    }

    /**
     * What darknet's shortcut adds to each output value from {@code values} of {@code shape}: the
     * reference backend's shortcut onto zeros (for equal shapes, the values themselves).
     */
    private static float[] sampledOnto(Shape output, Shape shape, float[] values) {
        try (ReferenceBackend reference = new ReferenceBackend();
             Tensor from = reference.allocate(shape);
             Tensor zeros = reference.allocate(output)) {
            reference.upload(values, from);
            reference.shortcut(from, 1, 1, zeros);
            return reference.download(zeros);
        }
    }

    /** A quantised tensor of {@code shape}, holding {@code values} rounded to steps of {@code range}. */
    private static Tensor quantised(float[] values, Shape shape, float range) {
        Tensor quantised = int8.allocateQuantised(shape, range);
        try (Tensor floats = int8.allocate(shape)) {
            int8.upload(values, floats);
            int8.copyChannels(floats, quantised, 0);
        }
        assertTrue(ActivationTensor.of(quantised).quantised(), "an int8 backend stores the stream in bytes");
        return quantised;
    }

    /**
     * A max-pool between the two (darknet19's and tiny's blocks) pools the integers: its bytes are
     * the largest of each window of the writer's, as the reference backend's max-pool of their
     * values finds them exactly, and the reader convolves those.
     */
    @ParameterizedTest
    @CsvSource({"16, 3, 32, 2, 2, 1", "8, 1, 16, 3, 1, 2"})
    void aMaxPoolBetweenPoolsTheIntegers(int channels, int size, int filters, int window, int stride, int padding) {
        ConvolutionCase first = layer(new Shape(1, channels, 12, 12), filters, size, Activation.LEAKY, 5);
        PoolSpec pool = new PoolSpec(first.spec().output(), window, stride, padding);
        ConvolutionCase second = layer(pool.output(), 8, 3, Activation.LEAKY, 13);
        float range = first.inputRange();
        float handOffRange = largest(Int8Arithmetic.emulate(first, range, halvesWeights()).values());
        try (Tensor in = int8.allocate(first.spec().input());
             Tensor handOff = int8.allocateQuantised(first.spec().output(), handOffRange);
             Tensor pooled = int8.allocateQuantised(pool.output(), handOffRange);
             Tensor out = int8.allocate(second.spec().output());
             ReferenceBackend reference = new ReferenceBackend();
             Tensor referenceIn = reference.allocate(pool.input());
             Tensor referenceOut = reference.allocate(pool.output())) {
            int8.upload(first.input(), in);
            first.withSpec(first.spec().withInputRange(range)).forward(int8, in, handOff, null);
            int8.maxPool(pool, handOff, pooled);
            reference.upload(int8.download(handOff), referenceIn);
            reference.maxPool(pool, referenceIn, referenceOut);
            float[] values = int8.download(pooled);
            assertArrayEquals(reference.download(referenceOut), values, "the largest integers of each window");
            second.withInput(values).withSpec(second.spec().withInputRange(handOffRange)).forward(int8, pooled, out, null);
            Int8Arithmetic.Result expected = Int8Arithmetic.emulate(second.withInput(values), handOffRange,
                    halvesWeights());
            float[] actual = int8.download(out);
            assertArithmetic(expected, actual);
        }
    }

    /**
     * A route copying into and out of hand-offs (DenseNet's concatenations): floats into one are
     * quantised with its range, integers of the same range copied byte for byte, integers of
     * another range stepped again to the nearest step of the destination's (ranges 2.5 and 3.75:
     * two thirds of a step is never half a step, so no tie), and integers into floats give their
     * values; the channels beside the copied ones are left as they were.
     */
    @ParameterizedTest
    @CsvSource({"8, 0", "8, 16", "24, 8"})
    void routeCopiesQuantiseStepAgainAndGiveValues(int channels, int offset) {
        Shape part = new Shape(1, channels, 5, 7);
        Shape whole = new Shape(1, 40, 5, 7);
        int points = part.h() * part.w();
        int first = offset * points;
        float[] values = BackendPair.random(23, part.size(), 3);
        float range = 2.5f;
        float wider = 3.75f;
        float scale = Quantization.activationScale(range);
        try (Tensor floats = int8.allocate(part);
             Tensor quantised = int8.allocateQuantised(whole, range);
             Tensor stepped = int8.allocateQuantised(whole, wider);
             Tensor back = int8.allocate(whole)) {
            int8.upload(values, floats);
            int8.copyChannels(floats, quantised, offset);
            float[] quantisedValues = int8.download(quantised);
            int nearTies = 0;
            for (int i = 0; i < values.length; i++) {
                float expected = Quantization.quantize(values[i], scale) * scale;
                float actual = quantisedValues[first + i];
                boolean nearTie = Math.abs(Math.abs(values[i] / scale % 1) - 0.5) < 1e-4;
                assertTrue(actual == expected || nearTie && Math.abs(actual - expected) <= scale * 1.0001,
                        "value " + i + ": " + actual + ", quantised " + expected);
                nearTies += actual == expected ? 0 : 1;
            }
            assertTrue(nearTies <= 2, nearTies + " near ties");
            assertUntouched(quantisedValues, offset, channels, points);
            try (Tensor again = int8.allocateQuantised(whole, range)) {
                int8.copyChannels(floats, again, offset);
                assertArrayEquals(quantisedValues, int8.download(again), "the same copy into another tensor");
            }
            try (Tensor source = quantisedPart(quantised, part, offset, range);
                 Tensor sameRange = int8.allocateQuantised(whole, range)) {
                int8.copyChannels(source, sameRange, offset);
                assertArrayEquals(quantisedValues, int8.download(sameRange), "the same range copies the bytes");
                int8.copyChannels(source, stepped, offset);
                int8.copyChannels(source, back, offset);
            }
            float[] steppedValues = int8.download(stepped);
            float[] backValues = int8.download(back);
            float widerScale = Quantization.activationScale(wider);
            for (int i = 0; i < values.length; i++) {
                float held = quantisedValues[first + i];
                assertEquals(held, backValues[first + i], "into floats: the value held");
                float expected = Quantization.quantize(held, widerScale) * widerScale;
                assertEquals(expected, steppedValues[first + i], widerScale * 1e-3, "value " + i + " stepped again");
            }
            assertUntouched(steppedValues, offset, channels, points);
            assertUntouched(backValues, offset, channels, points);
        }
    }

    /**
     * An upload into a quantised tensor (an int8 network's input, when its first layer is a
     * quantised convolution) quantises the values with its range, as that convolution would have:
     * one step off only at a near tie; beyond the range they saturate.
     */
    @Test
    void anUploadIntoAHandOffQuantisesTheValues() {
        Shape image = new Shape(1, 3, 13, 17);
        float[] values = BackendPair.random(41, image.size(), 1);
        float range = largest(values) * 0.75f;
        float scale = Quantization.activationScale(range);
        try (Tensor input = int8.allocateQuantised(image, range)) {
            assertTrue(ActivationTensor.of(input).quantised(), "an int8 backend stores the input in bytes");
            int8.upload(values, input);
            float[] held = int8.download(input);
            int nearTies = 0;
            for (int i = 0; i < values.length; i++) {
                float expected = Quantization.quantize(values[i], scale) * scale;
                boolean nearTie = Math.abs(Math.abs(values[i] / scale % 1) - 0.5) < 1e-4;
                assertTrue(held[i] == expected || nearTie && Math.abs(held[i] - expected) <= scale * 1.0001,
                        "value " + i + ": " + held[i] + ", quantised " + expected);
                nearTies += held[i] == expected ? 0 : 1;
            }
            assertTrue(nearTies <= 2, nearTies + " near ties");
        }
    }

    /** A quantised tensor of {@code part}'s shape holding channels {@code offset..} of {@code whole}: a route's source. */
    private static Tensor quantisedPart(Tensor whole, Shape part, int offset, float range) {
        float[] values = int8.download(whole);
        float[] channels = Arrays.copyOfRange(values, offset * part.h() * part.w(),
                (offset + part.c()) * part.h() * part.w());
        Tensor quantised = int8.allocateQuantised(part, range);
        try (Tensor floats = int8.allocate(part)) {
            int8.upload(channels, floats);
            int8.copyChannels(floats, quantised, 0);
        }
        assertArrayEquals(channels, int8.download(quantised), "values that are whole steps quantise to themselves");
        return quantised;
    }

    private static void assertUntouched(float[] values, int offset, int channels, int points) {
        for (int i = 0; i < values.length; i++) {
            int channel = i / points;
            if (channel < offset || channel >= offset + channels) {
                assertEquals(0, values[i], "channel " + channel + " is not copied into");
            }
        }
    }

    @Test
    void aConvolutionInFp32RefusesAQuantisedTensor() {
        ConvolutionCase layer = layer(new Shape(1, 8, 6, 6), 8, 3, Activation.LEAKY, 3);
        try (Tensor in = int8.allocateQuantised(layer.spec().input(), 1);
             Tensor out = int8.allocate(layer.spec().output())) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> layer.forward(int8, in, out, null));
            assertTrue(refused.getMessage().endsWith("cannot take a hand-off tensor: it does not compute in int8"),
                    refused.getMessage());
            assertThrows(IllegalStateException.class, () -> int8.fill(in, 0), "only convolutions use its bytes");
        }
    }

    /** Each output within the emulated arithmetic's bound of its value. */
    private static void assertArithmetic(Int8Arithmetic.Result expected, float[] actual) {
        for (int i = 0; i < actual.length; i++) {
            assertTrue(Math.abs(expected.values()[i] - actual[i]) <= expected.tight()[i], "output " + i + ": "
                    + actual[i] + ", the integer arithmetic gives " + expected.values()[i]);
        }
    }

    /**
     * Each handed value is a whole number of steps of the hand-off's scale, the emulated output
     * quantised, or one step off where that output lies within a float rounding of a half step.
     */
    private static void assertQuantised(Int8Arithmetic.Result written, float range, float[] handed) {
        float scale = Quantization.activationScale(range);
        int nearTies = 0;
        int saturated = 0;
        for (int i = 0; i < handed.length; i++) {
            float steps = handed[i] / scale;
            assertEquals(Math.rint(steps), steps, 1e-3, "value " + i + " is no whole number of steps");
            int expected = Quantization.quantize(written.values()[i], scale);
            double exact = written.values()[i] / (double) scale;
            double margin = (written.tight()[i] + Math.ulp(written.values()[i])) / scale;
            boolean nearTie = Math.abs(Math.abs(exact - Math.floor(exact)) - 0.5) <= margin;
            int difference = Math.abs(Math.round(steps) - expected);
            assertTrue(difference == 0 || nearTie && difference == 1, "value " + i + ": " + Math.round(steps)
                    + " steps, the rules give " + expected + " (of " + exact + ")");
            nearTies += difference;
            saturated += Math.abs(expected) == Quantization.LEVELS ? 1 : 0;
        }
        System.out.printf("hand-off of %d values: %d saturated, %d a near tie one step off%n", handed.length,
                saturated, nearTies);
    }

    private static ConvolutionCase layer(Shape input, int filters, int size, Activation activation, long seed) {
        ConvolutionSpec spec = new ConvolutionSpec(input, filters, size, 1, size / 2, 1);
        return ConvolutionCase.random(spec, true, activation, seed);
    }

    private static float largest(float[] values) {
        float largest = 0;
        for (float value : values) {
            largest = Math.max(largest, Math.abs(value));
        }
        return largest;
    }

    private static boolean halvesWeights() {
        return !CpuIsa.hasVnni();
    }
}
