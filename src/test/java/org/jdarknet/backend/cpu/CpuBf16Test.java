package org.jdarknet.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.jdarknet.backend.Activation;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.BackendPair;
import org.jdarknet.backend.Connected;
import org.jdarknet.backend.ConnectedSpec;
import org.jdarknet.backend.ConvolutionSpec;
import org.jdarknet.backend.Epilogue;
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
 * The cpu backend's bf16 convolutions against the fp32 reference backend, within what rounding
 * both operands of every product to bf16 can change: bf16 keeps 8 significant bits, so each
 * operand moves by at most 2^-8 of itself and each product by at most about 2^-7; over a dot
 * product that is {@code 2^-7 · Σ|x|·|w|}, times the activation's largest slope, plus fp32's own
 * rounding. On a CPU with bf16 instructions the outputs must moreover be the arithmetic the
 * backend says it does: the input and the weights rounded to bf16 (to nearest, ties to even),
 * then multiplied and summed in fp32, computed here by the reference backend on operands rounded
 * in Java; that is hundreds of times tighter than the bf16 bound, so an fp32 kernel fails it. On
 * a CPU without them a convolution must equal an fp32 backend's bit for bit, as the backend's
 * warning says. Connected layers compute fp32 in bf16 (the classifier head).
 */
class CpuBf16Test {
    private static final double PRODUCT_ROUNDING = 0x1p-7;
    private static CpuBackend bf16;
    private static CpuBackend fp32;
    private static ReferenceBackend reference;

    @BeforeAll
    static void open() {
        CpuBackendUnderTest.assumeAvailable();
        bf16 = new CpuBackend(0, Precision.BF16);
        fp32 = new CpuBackend(0, bf16.activationFormat(), Precision.FP32);
        reference = new ReferenceBackend();
    }

    @AfterAll
    static void close() {
        if (bf16 != null) {
            bf16.close();
            fp32.close();
        }
    }

    @ParameterizedTest
    @CsvSource({
        "3, 17, 19, 16, 3, 1, 1, 1, LEAKY",
        "16, 12, 12, 32, 1, 1, 0, 1, LINEAR",
        "32, 13, 13, 64, 3, 2, 1, 1, LOGISTIC",
        "20, 9, 9, 20, 3, 1, 1, 1, RELU",
        "32, 10, 10, 32, 3, 1, 1, 32, LEAKY"})
    void convolutionsWithinBf16Rounding(int channels, int height, int width, int filters, int size, int stride,
                                        int padding, int groups, Activation activation) {
        ConvolutionSpec spec = new ConvolutionSpec(new Shape(1, channels, height, width), filters, size, stride, padding,
                groups);
        ConvolutionCase layer = ConvolutionCase.random(spec, true, activation, 7L * channels + filters);
        float[] actual = layer.run(bf16);
        double[] products = Int8Arithmetic.emulate(layer, layer.inputRange(), false).products();
        double[] bounds = new double[products.length];
        float[] biases = layer.foldedBiases();
        int perFilter = spec.output().h() * spec.output().w();
        for (int i = 0; i < bounds.length; i++) {
            double fp32Rounding = 1e-5 * (products[i] + Math.abs(biases[i / perFilter % filters]));
            bounds[i] = Int8Arithmetic.lipschitz(activation) * (PRODUCT_ROUNDING * products[i] + fp32Rounding) + 1e-6;
        }
        CpuInt8ConvolutionTest.assertWithin(layer.run(reference), actual, bounds, "bf16 " + spec);
        if (!CpuIsa.hasBf16()) {
            assertArrayEquals(layer.run(fp32), actual, "bf16 without bf16 instructions computes fp32");
        }
    }

    @ParameterizedTest
    @CsvSource({
        "3, 17, 19, 16, 3, 1, 1, 1, LEAKY",
        "16, 12, 12, 32, 1, 1, 0, 1, LINEAR",
        "64, 13, 13, 64, 3, 2, 1, 1, RELU",
        "32, 10, 10, 32, 3, 1, 1, 32, LEAKY"})
    void convolutionsRoundBothOperandsToBf16(int channels, int height, int width, int filters, int size, int stride,
                                             int padding, int groups, Activation activation) {
        assumeTrue(CpuIsa.hasBf16(), "this CPU (" + CpuIsa.name() + ") has no bf16 instructions: bf16 computes fp32");
        ConvolutionSpec spec = new ConvolutionSpec(new Shape(1, channels, height, width), filters, size, stride, padding,
                groups);
        // Without batch normalisation the backend's weights are the layer's own, so both round the same floats.
        ConvolutionCase layer = ConvolutionCase.random(spec, false, activation, 5L * channels + filters);
        ConvolutionCase rounded = new ConvolutionCase(spec, toBf16(layer.input()), toBf16(layer.weights()), null, null,
                null, layer.biases(), activation);
        double[] products = Int8Arithmetic.emulate(rounded, rounded.inputRange(), false).products();
        double[] bounds = new double[products.length];
        int perFilter = spec.output().h() * spec.output().w();
        for (int i = 0; i < bounds.length; i++) {
            // Products of bf16 values are exact in fp32; what is left is the order of an fp32 sum.
            bounds[i] = 2e-5 * (products[i] + Math.abs(layer.biases()[i / perFilter % filters])) + 1e-6;
        }
        CpuInt8ConvolutionTest.assertWithin(rounded.run(reference), layer.run(bf16), bounds,
                "bf16 arithmetic of " + spec);
    }

    /** Each value rounded to the nearest bf16 (ties to even), as a float: oneDNN's conversion. */
    static float[] toBf16(float[] values) {
        float[] rounded = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            int bits = Float.floatToRawIntBits(values[i]);
            int tieToEven = 0x7fff + ((bits >>> 16) & 1);
            rounded[i] = Float.intBitsToFloat((bits + tieToEven) & 0xffff0000);
        }
        return rounded;
    }

    @Test
    void connectedLayersComputeFp32() {
        ConnectedSpec spec = new ConnectedSpec(new Shape(2, 24, 3, 3), 40);
        float[] input = BackendPair.random(11, spec.input().size(), 1);
        float[] weights = BackendPair.random(12, spec.weights().size(), Math.sqrt(1.0 / spec.inputs()));
        float[] biases = BackendPair.random(13, spec.outputs(), 0.1);
        assertArrayEquals(connected(fp32, spec, input, weights, biases), connected(bf16, spec, input, weights, biases),
                "a bf16 backend's connected layer is its fp32 one");
    }

    private static float[] connected(Backend backend, ConnectedSpec spec, float[] input, float[] weights,
                                     float[] biases) {
        try (Tensor in = backend.allocate(spec.input());
             Tensor w = backend.allocateParameter(spec.weights());
             Tensor b = backend.allocateParameter(Shape.vector(spec.outputs()));
             Tensor out = backend.allocate(spec.output());
             Connected connected = backend.connected(spec)) {
            backend.upload(input, in);
            backend.upload(weights, w);
            backend.upload(biases, b);
            connected.forward(in, w, new Epilogue(null, b, Activation.LINEAR), out);
            return backend.download(out);
        }
    }
}
