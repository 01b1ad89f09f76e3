package org.jdarknet.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.jdarknet.UsageException;
import org.jdarknet.backend.Activation;
import org.jdarknet.backend.BackendPair;
import org.jdarknet.backend.Convolution;
import org.jdarknet.backend.ConvolutionSpec;
import org.jdarknet.backend.Precision;
import org.jdarknet.backend.Shape;
import org.jdarknet.backend.Tensor;
import org.jdarknet.backend.reference.ReferenceBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The cpu backend's int8 convolutions, in its default int8 activation layout, against
 * <ol>
 *   <li>{@link Int8Arithmetic}, the same integer arithmetic in Java from the shared quantisation
 *       rules: within a few float roundings ({@link Int8Arithmetic.Result#tight}), so every integer
 *       must be the same. On a CPU without VNNI oneDNN halves the weights (see
 *       {@link Int8Arithmetic}), depthwise convolutions included; the emulation then does the same
 *       (and agreeing with it shows that oneDNN's JIT kernels ran: its reference loops keep whole
 *       weights);</li>
 *   <li>the fp32 reference backend, within the bound the quantisation steps give
 *       ({@link Int8Arithmetic.Result#fromReal}: over the dot product, |x|·Δw + |w|·Δx + Δx·Δw with
 *       Δx half an input step and Δw half a weight step, one and a half when halved, times the
 *       activation's largest slope, plus fp32's own rounding).</li>
 * </ol>
 * A convolution without a calibrated range computes exactly as in an fp32 backend.
 */
class CpuInt8ConvolutionTest {
    private static CpuBackend int8;
    private static CpuBackend fp32;
    private static ReferenceBackend reference;

    @BeforeAll
    static void open() {
        CpuBackendUnderTest.assumeAvailable();
        int8 = new CpuBackend(0, Precision.INT8);
        fp32 = new CpuBackend(0, int8.activationFormat(), Precision.FP32);
        reference = new ReferenceBackend();
    }

    @AfterAll
    static void close() {
        if (int8 != null) {
            int8.close();
            fp32.close();
        }
    }

    private static ConvolutionCase layer(int channels, int height, int width, int filters, int size, int stride,
                                         int padding, int groups, int batch, boolean batchNorm, Activation activation) {
        ConvolutionSpec spec = new ConvolutionSpec(new Shape(batch, channels, height, width), filters, size, stride,
                padding, groups);
        return ConvolutionCase.random(spec, batchNorm, activation, 31L * channels + filters + size);
    }

    /** What oneDNN's kernels do to the weights on this CPU (see the class comment). */
    private static boolean halvesWeights() {
        return !CpuIsa.hasVnni();
    }

    @ParameterizedTest
    @CsvSource({
        // channels, height, width, filters, size, stride, padding, groups, batch, batch norm, activation
        "3, 17, 19, 16, 3, 1, 1, 1, 1, true, LEAKY",      // the first layer
        "16, 12, 12, 32, 1, 1, 0, 1, 1, true, LINEAR",    // 1x1
        "32, 13, 13, 64, 3, 2, 1, 1, 1, true, LEAKY",     // 3x3 stride 2, odd size
        "24, 10, 10, 24, 3, 1, 1, 1, 2, true, RELU",      // 3x3 stride 1, batch of 2
        "20, 9, 9, 20, 3, 1, 1, 1, 1, true, LOGISTIC",    // channels not a multiple of 8
        "32, 16, 16, 32, 3, 1, 1, 4, 1, true, LEAKY",     // groups
        "48, 8, 8, 24, 3, 1, 1, 3, 1, false, LINEAR",     // groups of 16 channels to 8 filters, bias only
        "32, 10, 10, 32, 3, 1, 1, 32, 1, true, LEAKY",    // depthwise
        "16, 6, 5, 16, 1, 2, 0, 1, 1, true, RELU",        // 1x1 stride 2
        "16, 8, 8, 24, 3, 1, 1, 1, 1, true, PLSE"})       // an activation oneDNN lacks: Java after
    void computesTheIntegerArithmeticWithinItsQuantisationBound(int channels, int height, int width, int filters,
            int size, int stride, int padding, int groups, int batch, boolean batchNorm, Activation activation) {
        ConvolutionCase layer = layer(channels, height, width, filters, size, stride, padding, groups, batch, batchNorm,
                activation);
        float range = layer.inputRange();
        ConvolutionSpec calibrated = layer.spec().withInputRange(range);
        float[] actual = layer.withSpec(calibrated).run(int8);
        Int8Arithmetic.Result expected = Int8Arithmetic.emulate(layer, range, halvesWeights());
        assertWithin(expected.values(), actual, expected.tight(), "int8 arithmetic of " + calibrated);
        float[] exact = layer.run(reference);
        assertWithin(exact, actual, expected.fromReal(), "fp32 reference of " + calibrated);
        assertFalse(Arrays.equals(exact, actual), "int8 gave fp32's results: it did not quantise");
    }

    @ParameterizedTest
    @CsvSource({"32, 13, 13, 64, 3, 1, 1, 1, LEAKY", "32, 10, 10, 32, 3, 1, 1, 32, LINEAR"})
    void inputsBeyondTheRangeSaturate(int channels, int height, int width, int filters, int size, int stride,
                                      int padding, int groups, Activation activation) {
        ConvolutionCase layer = layer(channels, height, width, filters, size, stride, padding, groups, 1, true,
                activation);
        float range = layer.inputRange() / 3;
        ConvolutionSpec calibrated = layer.spec().withInputRange(range);
        float[] actual = layer.withSpec(calibrated).run(int8);
        Int8Arithmetic.Result expected = Int8Arithmetic.emulate(layer, range, halvesWeights());
        assertWithin(expected.values(), actual, expected.tight(), "saturated int8 arithmetic of " + calibrated);
    }

    @ParameterizedTest
    @CsvSource({"3, 17, 19, 16, 3, 1, 1, 1, LEAKY", "20, 9, 9, 20, 3, 1, 1, 1, LOGISTIC",
        "32, 10, 10, 32, 3, 1, 1, 32, LINEAR", "16, 8, 8, 24, 3, 1, 1, 1, PLSE"})
    void uncalibratedConvolutionsComputeAsFp32BitForBit(int channels, int height, int width, int filters, int size,
            int stride, int padding, int groups, Activation activation) {
        ConvolutionCase layer = layer(channels, height, width, filters, size, stride, padding, groups, 1, true,
                activation);
        assertArrayEquals(layer.run(fp32), layer.run(int8), "uncalibrated " + layer.spec());
    }

    /**
     * A residual after an int8 convolution, fused as oneDNN post-ops after the dequantised output:
     * {@code activation(alpha*y + beta*from)} of the emulated integer arithmetic {@code y}, within
     * its bound scaled by {@code alpha} plus the float rounding of the sum.
     */
    @ParameterizedTest
    @CsvSource({"32, 16, 16, 32, 3, LEAKY, LINEAR, 1, 1", "16, 12, 12, 32, 1, LINEAR, LEAKY, 0.5, 2"})
    void aResidualFollowsTheIntegerArithmetic(int channels, int height, int width, int filters, int size,
                                              Activation activation, Activation residualActivation, float alpha,
                                              float beta) {
        ConvolutionCase layer = layer(channels, height, width, filters, size, 1, size / 2, 1, 1, true, activation);
        float range = layer.inputRange();
        float[] from = BackendPair.random(17, layer.spec().output().size(), 1);
        ConvolutionSpec calibrated = layer.spec().withInputRange(range);
        float[] actual = layer.withSpec(calibrated)
                .run(int8, new ConvolutionCase.Residual(from, alpha, beta, residualActivation));
        Int8Arithmetic.Result expected = Int8Arithmetic.withResidual(Int8Arithmetic.emulate(layer, range,
                halvesWeights()), from, alpha, beta, residualActivation);
        assertWithin(expected.values(), actual, expected.tight(), "int8 " + calibrated + " then " + alpha + "*y + "
                + beta + "*from, " + residualActivation.cfgName());
    }

    @Test
    void changedWeightsAreQuantisedAgain() {
        ConvolutionCase first = layer(16, 8, 8, 32, 3, 1, 1, 1, 1, true, Activation.LEAKY);
        ConvolutionCase second = ConvolutionCase.random(first.spec(), true, Activation.LEAKY, 99);
        ConvolutionCase changed = new ConvolutionCase(first.spec(), first.input(), second.weights(), first.scales(),
                first.mean(), second.variance(), first.biases(), first.activation());
        float range = first.inputRange();
        float[][] outputs = ConvolutionCase.runTwice(int8, first.withSpec(first.spec().withInputRange(range)),
                changed.weights(), changed.variance());
        Int8Arithmetic.Result before = Int8Arithmetic.emulate(first, range, halvesWeights());
        Int8Arithmetic.Result after = Int8Arithmetic.emulate(changed, range, halvesWeights());
        assertWithin(before.values(), outputs[0], before.tight(), "before the change");
        assertWithin(after.values(), outputs[1], after.tight(), "after new weights and variances");
    }

    @Test
    void trainingIsRefused() {
        ConvolutionSpec spec = new ConvolutionSpec(new Shape(1, 8, 6, 6), 8, 3, 1, 1, 1).withInputRange(1);
        try (Tensor input = int8.allocate(spec.input());
             Tensor weights = int8.allocateParameter(spec.weights());
             Tensor delta = int8.allocate(spec.output());
             Tensor gradient = int8.allocateParameter(spec.weights());
             Convolution convolution = int8.convolution(spec)) {
            UsageException refused = assertThrows(UsageException.class,
                    () -> convolution.backward(input, weights, delta, gradient, null));
            assertTrue(refused.getMessage().startsWith("--precision int8 is for inference; training computes in fp32"),
                    refused.getMessage());
        }
    }

    static void assertWithin(float[] expected, float[] actual, double[] bounds, String what) {
        assertEquals(expected.length, actual.length, what + ": number of values");
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            double difference = Math.abs((double) expected[i] - actual[i]);
            int at = i;
            assertTrue(difference <= bounds[i], () -> what + ": value " + at + " is " + actual[at] + ", expected "
                    + expected[at] + " within " + bounds[at] + " (difference " + difference + ")");
            worst = Math.max(worst, difference / bounds[i]);
        }
        System.out.printf("%s: worst difference %.2f of its bound%n", what, worst);
    }
}
