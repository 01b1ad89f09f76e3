package org.jdarknet.backend.cpu;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.dnnl.memory;
import org.bytedeco.javacpp.FloatPointer;
import org.jdarknet.backend.Epilogue;

/**
 * A primitive's own copy of a layer's weights and bias, with the epilogue's batch normalisation
 * folded in ({@link ChannelAffine}) and the weights handed to a {@link Store}, which puts them in
 * the layout (and number type) the primitive wants. It is rebuilt whenever the weights or any
 * epilogue parameter has changed since.
 */
final class FoldedWeights implements AutoCloseable {
    private final Dnnl dnnl;
    private final memory.desc plainWeights;
    private final Store store;
    private final memory bias;
    private final int outputs;
    private Versions versions;

    /** Where folded weights end up: the primitive's copy of them. */
    interface Store extends AutoCloseable {
        /** Makes the copy from {@code folded}, the folded weights in darknet's order, described by {@code plain}. */
        void store(memory plain, FloatBuffer folded);

        /** The copy, as the primitive reads it. */
        memory weights();

        @Override
        void close();
    }

    /**
     * Folded weights kept as floats.
     *
     * @param plainWeights the layer's weights as darknet stores them (outputs first)
     * @param weights      the layout the primitive reads them in
     */
    FoldedWeights(Dnnl dnnl, memory.desc plainWeights, memory.desc weights, int outputs) {
        this(dnnl, plainWeights, new Reordered(dnnl, dnnl.allocate(weights)), outputs);
    }

    /** Folded weights stored by {@code store}, which this copy closes. */
    FoldedWeights(Dnnl dnnl, memory.desc plainWeights, Store store, int outputs) {
        this.dnnl = dnnl;
        this.plainWeights = plainWeights;
        this.store = store;
        this.bias = dnnl.allocate(Descriptors.of(memory.format_tag.x, outputs));
        this.outputs = outputs;
    }

    /** Floats reordered into the primitive's layout. */
    private record Reordered(Dnnl dnnl, memory weights) implements Store {
        @Override
        public void store(memory plain, FloatBuffer folded) {
            dnnl.reorder(plain, weights);
        }

        @Override
        public void close() {
            weights.close();
        }
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
            store.store(plain, staging.asBuffer());
        }
        new FloatPointer(bias.get_data_handle()).put(affine.floatShifts());
    }

    memory weights() {
        return store.weights();
    }

    memory bias() {
        return bias;
    }

    @Override
    public void close() {
        store.close();
        bias.close();
    }
}
