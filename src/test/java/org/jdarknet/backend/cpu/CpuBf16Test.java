package org.jdarknet.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

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
 * The cpu backend's bf16 convolutions and connected layers against the fp32 reference backend,
 * within what rounding both operands of every product to bf16 can change: bf16 keeps 8
 * significant bits, so each operand moves by at most 2^-8 of itself and each product by at most
 * about 2^-7; over a dot product that is {@code 2^-7 · Σ|x|·|w|}, times the activation's largest
 * slope, plus fp32's own rounding. On a CPU without bf16 instructions (this project's AVX2 build
 * machine) oneDNN computes fp32 and the bound holds trivially; there a convolution must equal an
 * fp32 backend's bit for bit, as the backend's warning says (it gets the same kernel; a connected
 * layer may get another fp32 kernel, summing in another order).
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

    @Test
    void connectedLayersWithinBf16Rounding() {
        ConnectedSpec spec = new ConnectedSpec(new Shape(2, 24, 3, 3), 40);
        float[] input = BackendPair.random(11, spec.input().size(), 1);
        float[] weights = BackendPair.random(12, spec.weights().size(), Math.sqrt(1.0 / spec.inputs()));
        float[] biases = BackendPair.random(13, spec.outputs(), 0.1);
        float[] actual = connected(bf16, spec, input, weights, biases);
        double[] bounds = new double[spec.output().size()];
        for (int n = 0; n < spec.input().n(); n++) {
            for (int o = 0; o < spec.outputs(); o++) {
                double products = 0;
                for (int i = 0; i < spec.inputs(); i++) {
                    products += Math.abs(input[n * spec.inputs() + i] * weights[o * spec.inputs() + i]);
                }
                bounds[n * spec.outputs() + o] = PRODUCT_ROUNDING * products
                        + 1e-5 * (products + Math.abs(biases[o])) + 1e-6;
            }
        }
        CpuInt8ConvolutionTest.assertWithin(connected(reference, spec, input, weights, biases), actual, bounds,
                "bf16 " + spec);
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
