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
    private final Store store;
    private final memory bias;
    private final int outputs;
    private Versions versions;

    /** Where folded weights end up: the primitive's copy of them. */
    interface Store extends AutoCloseable {
        /**
         * Makes the copy from {@code weights}, the layer's weights in darknet's order (outputs
         * first), with each output's row multiplied by its {@code affine} multiplier.
         */
        void store(FloatBuffer weights, ChannelAffine affine);

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
        this(dnnl, new Reordered(dnnl, plainWeights, dnnl.allocate(weights)), outputs);
    }

    /** Folded weights stored by {@code store}, which this copy closes. */
    FoldedWeights(Dnnl dnnl, Store store, int outputs) {
        this.store = store;
        this.bias = dnnl.allocate(Descriptors.of(memory.format_tag.x, outputs));
        this.outputs = outputs;
    }

    /**
     * Floats reordered into the primitive's layout, the multipliers applied by the reorder:
     * natively, where a Java loop over the weights would run in the interpreter during a
     * one-image {@code classify}'s only pass (tiny's 1 million weights: about a fifth of it).
     * The reorder multiplies in float by the multipliers rounded to float, which can differ from
     * rounding the double product once by an ulp of the weight.
     */
    private record Reordered(Dnnl dnnl, memory.desc plainWeights, memory weights) implements Store {
        @Override
        public void store(FloatBuffer values, ChannelAffine affine) {
            try (FloatPointer staging = new FloatPointer(values.limit());
                 memory plain = dnnl.wrap(plainWeights, staging)) {
                staging.asBuffer().put(values);
                if (affine.multipliers() == null) {
                    dnnl.reorder(plain, weights);
                } else {
                    dnnl.reorderScalingOutputs(plain, weights, affine.floatMultipliers());
                }
            }
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
        store.store(layerWeights.read(), affine);
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
