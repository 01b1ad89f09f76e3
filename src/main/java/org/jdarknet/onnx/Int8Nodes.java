package org.jdarknet.onnx;

import static org.jdarknet.onnx.GraphBuilder.attribute;

import java.util.List;
import org.jdarknet.backend.Quantization;

/**
 * The quantisation of a convolution in a QDQ model, with {@link Quantization}'s rules so that ONNX
 * Runtime sees the very integers jdarknet's int8 path computes with: the input through
 * QuantizeLinear and DequantizeLinear at one scale per tensor, the weights stored as int8 with one
 * scale per output channel (DequantizeLinear on axis 0). Zero points are int8 zeros: symmetric
 * quantisation, and int8 (not uint8) tensors.
 */
final class Int8Nodes {
    private final GraphBuilder g;

    Int8Nodes(GraphBuilder graph) {
        this.g = graph;
    }

    /**
     * {@code x} rounded to the int8 grid its calibrated {@code range} (largest |x|) gives, back in
     * float: a convolution's input, or its output before the activation.
     */
    String activations(String x, float range) {
        String scale = g.scalar(Quantization.activationScale(range));
        String zero = g.int8s("zero_point", new byte[1]);
        String quantized = g.node("QuantizeLinear", List.of(x, scale, zero));
        return g.node("DequantizeLinear", List.of(quantized, scale, zero));
    }

    /**
     * The weights (output channel first, batch norm already folded in) as int8 integers and their
     * per-channel scales, dequantised for the convolution.
     */
    String weights(float[] weights, long... dims) {
        int outputs = (int) dims[0];
        float[] scales = Quantization.weightScales(weights, outputs);
        int perFilter = weights.length / outputs;
        byte[] integers = new byte[weights.length];
        for (int i = 0; i < weights.length; i++) {
            integers[i] = Quantization.quantize(weights[i], scales[i / perFilter]);
        }
        String quantized = g.int8s("weights_int8", integers, dims);
        return g.node("DequantizeLinear", List.of(quantized, g.floats("weight_scales", scales, outputs),
                g.int8s("weight_zero_points", new byte[outputs], outputs)), attribute("axis", 0L));
    }
}
