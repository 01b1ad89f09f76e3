package org.jdarknet.backend.cpu;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.dnnl.memory;
import org.bytedeco.javacpp.FloatPointer;
import org.jdarknet.backend.Epilogue;

/**
 * A primitive's own copy of a layer's weights and bias, with the epilogue's batch normalisation
 * folded in ({@link ChannelAffine}) and the weights reordered into the layout the primitive wants.
 * It is rebuilt whenever the weights or any epilogue parameter has changed since.
 */
final class FoldedWeights implements AutoCloseable {
    private final Dnnl dnnl;
    private final memory.desc plainWeights;
    private final memory weights;
    private final memory bias;
    private final int outputs;
    private Versions versions;

    /**
     * @param plainWeights the layer's weights as darknet stores them (outputs first)
     * @param weights      the layout the primitive reads them in
     */
    FoldedWeights(Dnnl dnnl, memory.desc plainWeights, memory.desc weights, int outputs) {
        this.dnnl = dnnl;
        this.plainWeights = plainWeights;
        this.weights = dnnl.allocate(weights);
        this.bias = dnnl.allocate(Descriptors.of(memory.format_tag.x, outputs));
        this.outputs = outputs;
    }

    /** Makes the copy current for {@code layerWeights} followed by {@code epilogue}. */
    void refresh(ParameterTensor layerWeights, Epilogue epilogue) {
        List<ParameterTensor> sources = new ArrayList<>(ChannelAffine.parameters(epilogue));
        sources.add(layerWeights);
        if (versions != null && versions.current(sources)) {
            return;
        }
        versions = Versions.of(sources);
        ChannelAffine affine = ChannelAffine.of(epilogue, outputs);
        FloatBuffer values = layerWeights.read();
        try (FloatPointer staging = new FloatPointer(values.limit());
             memory plain = dnnl.wrap(plainWeights, staging)) {
            affine.scaleRows(values, staging.asBuffer());
            dnnl.reorder(plain, weights);
        }
        new FloatPointer(bias.get_data_handle()).put(affine.floatShifts());
    }

    memory weights() {
        return weights;
    }

    memory bias() {
        return bias;
    }

    @Override
    public void close() {
        weights.close();
        bias.close();
    }
}
