package org.jdarknet.backend.cpu;

import org.jdarknet.backend.Activation;
import org.jdarknet.backend.ConvolutionSpec;
import org.jdarknet.backend.Quantization;
import org.jdarknet.backend.Shape;

/**
 * An int8 convolution computed in Java from jdarknet's quantisation rules ({@link Quantization}):
 * the input quantised with the calibrated range, the folded weights per output channel, the
 * products summed exactly as integers, the sum dequantised, the folded bias added and the
 * activation applied (darknet's formula). It also bounds each output's distance from the exact
 * real-valued convolution, from the quantisation steps alone.
 *
 * <p>{@code halvedWeights} reproduces what oneDNN does on CPUs without VNNI: its 16-bit
 * intermediate sums would overflow with full int8 weights, so it stores each quantised weight
 * {@code q} as {@code rint(q/2)} and doubles the result; the effective weight is
 * {@code 2·rint(q/2)}, within one step of {@code q}.
 */
final class Int8Arithmetic {

    /**
     * @param values   the int8 convolution's outputs
     * @param tight    per output, the float rounding a kernel computing exactly this arithmetic may add
     * @param fromReal per output, how far the int8 result can be from the real-valued convolution
     * @param products per output, the sum of |x|·|w| over its dot product (folded weights), which
     *                 bounds what rounding the products' operands can change
     */
    record Result(float[] values, double[] tight, double[] fromReal, double[] products) {
    }

    private Int8Arithmetic() {
    }

    static Result emulate(ConvolutionCase layer, float inputRange, boolean halvedWeights) {
        ConvolutionSpec spec = layer.spec();
        float inputScale = Quantization.activationScale(inputRange);
        byte[] inputs = new byte[layer.input().length];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = Quantization.quantize(layer.input()[i], inputScale);
        }
        float[] weights = layer.foldedWeights();
        float[] weightScales = Quantization.weightScales(weights, spec.filters());
        int perFilter = weights.length / spec.filters();
        int[] effective = new int[weights.length];
        for (int i = 0; i < weights.length; i++) {
            int q = Quantization.quantize(weights[i], weightScales[i / perFilter]);
            effective[i] = halvedWeights ? 2 * (int) Math.rint(q * 0.5f) : q;
        }
        // Rounding to a step: half a step for inputs within the range; for weights one more step when halved.
        double inputError = inputScale / 2.0;
        double weightSteps = halvedWeights ? 1.5 : 0.5;
        float[] biases = layer.foldedBiases();
        Shape in = spec.input();
        Shape out = spec.output();
        float[] values = new float[out.size()];
        double[] tight = new double[out.size()];
        double[] fromReal = new double[out.size()];
        double[] products = new double[out.size()];
        int channels = in.c() / spec.groups();
        int filtersPerGroup = spec.filters() / spec.groups();
        double slope = lipschitz(layer.activation());
        for (int n = 0; n < out.n(); n++) {
            for (int f = 0; f < out.c(); f++) {
                int group = f / filtersPerGroup;
                double weightError = weightSteps * weightScales[f];
                for (int y = 0; y < out.h(); y++) {
                    for (int x = 0; x < out.w(); x++) {
                        long sum = 0;
                        double quantisation = 0;
                        double magnitude = 0;
                        for (int c = 0; c < channels; c++) {
                            for (int ky = 0; ky < spec.size(); ky++) {
                                int iy = y * spec.stride() - spec.padding() + ky;
                                for (int kx = 0; kx < spec.size(); kx++) {
                                    int ix = x * spec.stride() - spec.padding() + kx;
                                    if (iy < 0 || iy >= in.h() || ix < 0 || ix >= in.w()) {
                                        continue;
                                    }
                                    int inputIndex = ((n * in.c() + group * channels + c) * in.h() + iy) * in.w() + ix;
                                    int weightIndex = ((f * channels + c) * spec.size() + ky) * spec.size() + kx;
                                    sum += (long) inputs[inputIndex] * effective[weightIndex];
                                    double xv = Math.abs(layer.input()[inputIndex]);
                                    double wv = Math.abs(weights[weightIndex]);
                                    quantisation += xv * weightError + wv * inputError + inputError * weightError;
                                    magnitude += xv * wv;
                                }
                            }
                        }
                        int o = ((n * out.c() + f) * out.h() + y) * out.w() + x;
                        double dequantised = sum * (double) inputScale * weightScales[f];
                        values[o] = layer.activation().apply((float) (dequantised + biases[f]));
                        // A few float roundings of the scaling, bias and activation (2^-20 each, generously).
                        tight[o] = 1e-6 * (Math.abs(dequantised) + Math.abs(biases[f])) + 1e-6;
                        // fp32's own rounding of the real sum, and of folding batch norm, on top of quantisation.
                        fromReal[o] = slope * (quantisation + 1e-5 * (magnitude + Math.abs(biases[f]))) + 1e-6;
                        products[o] = magnitude;
                    }
                }
            }
        }
        return new Result(values, tight, fromReal, products);
    }

    /**
     * {@code activation(alpha*y + beta*from)} of {@code y}'s outputs (a residual after the
     * convolution), with their bound scaled by {@code alpha} and the float rounding of the sum added;
     * the result has no {@code fromReal} or {@code products}.
     */
    static Result withResidual(Result y, float[] from, float alpha, float beta, Activation activation) {
        float[] values = new float[from.length];
        double[] bound = new double[from.length];
        for (int i = 0; i < values.length; i++) {
            float sum = alpha * y.values()[i] + beta * from[i];
            values[i] = activation.apply(sum);
            bound[i] = Math.abs(alpha) * y.tight()[i] + 1e-6 * (Math.abs(sum) + Math.abs(beta * from[i])) + 1e-6;
        }
        return new Result(values, bound, null, null);
    }

    /** The largest slope of {@code activation}: how much an error in its input can grow. */
    static double lipschitz(Activation activation) {
        return switch (activation) {
            case LINEAR, RELU, LEAKY -> 1;
            case LOGISTIC -> 0.25;
            case PLSE -> 0.125;
            default -> throw new IllegalArgumentException("no slope known for " + activation);
        };
    }
}
