package org.jdarknet.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.jdarknet.UsageException;
import org.jdarknet.backend.Quantization;
import org.jdarknet.calibration.Calibration;
import org.jdarknet.calibration.Calibrator;
import org.jdarknet.net.Network;
import org.jdarknet.onnx.proto.Onnx.ModelProto;
import org.jdarknet.onnx.proto.Onnx.NodeProto;
import org.jdarknet.weights.RandomWeights;
import org.junit.jupiter.api.Test;

/**
 * One quantised convolution (batch norm folded, leaky, zero padding) run by ONNX Runtime from the
 * int8 (QDQ) export, against mathematics: the convolution of Quantization's integers, and the
 * rounding bound that keeps it near the fp32 reference; with its output before leaky quantised
 * too, the single integer QLinearConv ONNX Runtime fuses it into, within the roundings it adds.
 */
class OnnxInt8ConvolutionTest {
    private static final String CFG = "[net]\nwidth=12\nheight=10\nchannels=3\n\n"
            + "[convolutional]\nbatch_normalize=1\nfilters=8\nsize=3\nstride=1\npad=1\nactivation=leaky\n";
    /** Float rounding of ONNX Runtime's float convolution over the dequantised values, relative to the largest output. */
    private static final double FLOAT_ROUNDING = 1e-5;
    private static final int C = 3;
    private static final int H = 10;
    private static final int W = 12;
    private static final int FILTERS = 8;
    private static final int K = 3;

    /**
     * With a range below the largest |x| (inputs beyond it saturate to ±127), ONNX Runtime computes
     * {@code leaky(s_x * s_w[c] * Σ q_x q_w + bias)} of the integers Quantization gives.
     */
    @Test
    void theInt8ModelComputesTheConvolutionOfQuantizationsIntegers() throws Exception {
        try (Network network = network()) {
            float[] input = ExportFixture.uniform(C * H * W, -1, 1, 3);
            float range = 0.6f * Int8Fixture.largestMagnitude(input);
            Result result = Result.of(network, input, range, Float.NaN);
            ExportFixture.assertClose(result.integer, result.onnxRuntime, FLOAT_ROUNDING, "int8 convolution in ONNX Runtime");
        }
    }

    /**
     * With the input's own range, each output of the int8 model differs from the fp32 reference's by
     * at most the rounding of its terms: {@code Σ |w| s_x/2 + |x̂| s_w[c]/2} (x̂ the dequantised input;
     * leaky changes no difference by more than it was), plus float rounding.
     */
    @Test
    void theInt8ModelStaysWithinTheRoundingBoundOfTheReference() throws Exception {
        try (Network network = network()) {
            float[] input = ExportFixture.uniform(C * H * W, -1, 1, 4);
            Result result = Result.of(network, input, Int8Fixture.largestMagnitude(input), Float.NaN);
            float[] reference = network.output(input);
            double slack = FLOAT_ROUNDING * Int8Fixture.largestMagnitude(reference);
            double used = 0;
            for (int i = 0; i < reference.length; i++) {
                double difference = Math.abs(reference[i] - result.onnxRuntime[i]);
                int index = i;
                assertTrue(difference <= result.bound[i] + slack, () -> "output " + index + ": int8 " + result.onnxRuntime[index]
                        + ", fp32 " + reference[index] + ", beyond the rounding bound " + result.bound[index]);
                used = Math.max(used, difference / result.bound[i]);
            }
            assertTrue(used > 0, "the int8 model computes exactly what fp32 does: nothing was quantised");
            System.out.printf("int8 convolution: the largest difference from fp32 is %.0f%% of its rounding bound%n", 100 * used);
        }
    }

    /**
     * With the output before leaky quantised at the range the Calibrator measures, ONNX Runtime's
     * optimised graph is one QLinearConv (no float convolution left), and each output differs from
     * the integer convolution's {@code leaky(z)} by at most what the fusion adds to it: half an
     * output step {@code s_y/2} (QuantizeLinear; more only where z passed the calibrated range by
     * input rounding, then by that excess), and half a step {@code s_x s_w[c]/2} of the bias, which
     * ONNX Runtime quantises to int32 at the accumulator's scale; leaky (slope at most 1) widens
     * neither. From fp32, the old rounding bound plus these.
     */
    @Test
    void withItsOutputQuantisedOnnxRuntimeRunsOneQLinearConvWithinTheRoundingItAdds() throws Exception {
        try (Network network = network()) {
            float[] input = ExportFixture.uniform(C * H * W, -1, 1, 6);
            Calibrator calibrator = new Calibrator(network);
            calibrator.add(input);
            Calibration calibration = calibrator.result();
            Result result = Result.of(network, input, calibration.inputRange(0), calibration.preActivationRange(0));
            float[] reference = network.output(input);
            double slack = FLOAT_ROUNDING * Int8Fixture.largestMagnitude(reference);
            double used = 0;
            for (int i = 0; i < reference.length; i++) {
                int index = i;
                double fromInteger = Math.abs(result.integer[i] - result.onnxRuntime[i]);
                assertTrue(fromInteger <= result.fusionBound[i] + slack, () -> "output " + index + ": fused "
                        + result.onnxRuntime[index] + ", integer convolution " + result.integer[index] + ", beyond "
                        + result.fusionBound[index]);
                double fromFp32 = Math.abs(reference[i] - result.onnxRuntime[i]);
                assertTrue(fromFp32 <= result.bound[i] + result.fusionBound[i] + slack, () -> "output " + index
                        + ": fused " + result.onnxRuntime[index] + ", fp32 " + reference[index]);
                used = Math.max(used, fromInteger / result.fusionBound[i]);
            }
            assertTrue(used > 0, "the fused model computes exactly the integer convolution: nothing more was rounded");
            Map<String, Integer> ops = Int8Fixture.optimisedOps(result.model, "int8-convolution-fused");
            assertEquals(1, ops.getOrDefault("com.microsoft:QLinearConv", 0) + ops.getOrDefault("QLinearConv", 0),
                    "ONNX Runtime's optimised graph " + ops);
            assertTrue(ops.keySet().stream().noneMatch(op -> op.endsWith("Conv") && !op.endsWith("QLinearConv")),
                    "a float convolution is left in ONNX Runtime's optimised graph " + ops);
            System.out.printf("fused int8 convolution: %s; the largest difference from the integer convolution is"
                    + " %.0f%% of the rounding the fusion adds%n", ops, 100 * used);
        }
    }

    /** A kept batch norm would leave other weights than jdarknet's int8 path quantises: refused, naming the layer. */
    @Test
    void int8NeedsBatchNormFolded() {
        try (Network network = network()) {
            ExportOptions options = ExportOptions.defaults().withFoldBatchNorm(false).withInputRanges(layer -> 1f);
            UsageException refused = assertThrows(UsageException.class, () -> OnnxExporter.export(network, options));
            assertTrue(refused.getMessage().startsWith("layer 0: an int8 model needs batch norm folded"), refused.getMessage());
        }
    }

    private static Network network() {
        Network network = ExportFixture.network("int8-convolution", CFG, 1);
        RandomWeights.fill(network, 5);
        return network;
    }

    /**
     * ONNX Runtime's output of the int8 model, and mathematics' integer convolution and rounding bound
     * for it; with an output range (else NaN), the bound of what quantising the output adds.
     */
    private record Result(ModelProto model, float[] onnxRuntime, float[] integer, float[] bound, float[] fusionBound) {
        static Result of(Network network, float[] input, float range, float outputRange) throws Exception {
            ModelProto fp32 = OnnxExporter.export(network, ExportOptions.defaults());
            NodeProto conv = Int8Fixture.nodes(fp32, 0, "Conv").get(0);
            float[] weights = Int8Fixture.floats(fp32, conv.getInput(1));
            float[] biases = Int8Fixture.floats(fp32, conv.getInput(2));
            ModelProto int8 = OnnxExporter.export(network, ExportOptions.defaults().withInputRanges(layer -> range)
                    .withOutputRanges(layer -> outputRange));
            float[] onnxRuntime;
            try (Ort ort = Ort.loadExactIntegers(int8.toByteArray())) {
                onnxRuntime = ort.run(input, 1, C, H, W);
            }
            float inputScale = Quantization.activationScale(range);
            float[] weightScales = Quantization.weightScales(weights, FILTERS);
            float[] integer = new float[FILTERS * H * W];
            float[] bound = new float[FILTERS * H * W];
            float[] fusionBound = new float[FILTERS * H * W];
            float outputScale = Float.isNaN(outputRange) ? 0 : Quantization.activationScale(outputRange);
            for (int f = 0; f < FILTERS; f++) {
                for (int y = 0; y < H; y++) {
                    for (int x = 0; x < W; x++) {
                        long sum = 0;
                        double rounding = 0;
                        for (int c = 0; c < C; c++) {
                            for (int dy = 0; dy < K; dy++) {
                                for (int dx = 0; dx < K; dx++) {
                                    int iy = y + dy - 1;
                                    int ix = x + dx - 1;
                                    if (iy < 0 || iy >= H || ix < 0 || ix >= W) {
                                        continue;
                                    }
                                    float w = weights[((f * C + c) * K + dy) * K + dx];
                                    int qx = Quantization.quantize(input[(c * H + iy) * W + ix], inputScale);
                                    int qw = Quantization.quantize(w, weightScales[f]);
                                    sum += (long) qx * qw;
                                    rounding += Math.abs(w) * inputScale / 2 + Math.abs(qx * inputScale) * weightScales[f] / 2;
                                }
                            }
                        }
                        int out = (f * H + y) * W + x;
                        float z = (float) (sum * (double) inputScale * weightScales[f] + biases[f]);
                        integer[out] = leaky(z);
                        bound[out] = (float) rounding;
                        fusionBound[out] = Float.isNaN(outputRange) ? 0 : outputScale / 2
                                + Math.max(0, Math.abs(z) - outputRange) + inputScale * weightScales[f] / 2;
                    }
                }
            }
            return new Result(int8, onnxRuntime, integer, bound, fusionBound);
        }

        /** Darknet's leaky: slope 0.1 below zero. */
        private static float leaky(float x) {
            return x > 0 ? x : 0.1f * x;
        }
    }
}
