package org.jdarknet.backend.cpu;

import java.nio.FloatBuffer;
import org.bytedeco.dnnl.memory;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.jdarknet.backend.Quantization;

/**
 * Folded weights as an int8 convolution reads them: quantised per output channel
 * ({@link Quantization#weightScales}, {@link Quantization#quantize}) into darknet's order, then
 * reordered by oneDNN into the primitive's layout. That reorder also adds what the layout needs
 * besides the integers: on CPUs without VNNI, the compensation of signed inputs and weights halved
 * to fit its 16-bit sums ({@link CpuIsa#hasVnni}). The per-channel scales are kept for the
 * primitive to dequantise with.
 */
final class QuantizedWeights implements FoldedWeights.Store {
    private final Dnnl dnnl;
    private final memory.desc plainIntegers;
    private final memory weights;
    private final memory scales;
    private final int outputs;

    /**
     * @param plainIntegers the weights' dimensions in darknet's order ({@code oihw} or {@code goihw}), as bytes
     * @param weights       the layout the primitive reads them in
     */
    QuantizedWeights(Dnnl dnnl, memory.desc plainIntegers, memory.desc weights, int outputs) {
        this.dnnl = dnnl;
        this.plainIntegers = plainIntegers;
        this.weights = dnnl.allocate(weights);
        this.scales = dnnl.allocate(Descriptors.of(memory.format_tag.x, outputs));
        this.outputs = outputs;
    }

    @Override
    public void store(FloatBuffer layerWeights, ChannelAffine affine) {
        float[] values = new float[layerWeights.limit()];
        affine.scaleRows(layerWeights, FloatBuffer.wrap(values));
        float[] channelScales = Quantization.weightScales(values, outputs);
        int perChannel = values.length / outputs;
        byte[] integers = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            integers[i] = Quantization.quantize(values[i], channelScales[i / perChannel]);
        }
        try (BytePointer staging = new BytePointer(integers);
             memory plainMemory = dnnl.wrap(plainIntegers, staging)) {
            dnnl.reorder(plainMemory, weights);
        }
        new FloatPointer(scales.get_data_handle()).put(channelScales);
    }

    @Override
    public memory weights() {
        return weights;
    }

    /** One scale per output channel, in darknet's order of filters. */
    memory scales() {
        return scales;
    }

    @Override
    public void close() {
        weights.close();
        scales.close();
    }
}
