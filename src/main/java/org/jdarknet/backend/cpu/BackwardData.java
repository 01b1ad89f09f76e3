package org.jdarknet.backend.cpu;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;

import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.jdarknet.backend.Epilogue;

/**
 * oneDNN's backward-data primitive of a convolution or an inner product, its result added to the
 * delta of the layer below. oneDNN overwrites its output where darknet's backward adds (a shortcut
 * or route may have put something there already), so it writes to scratch first. It reads the
 * weights in a layout of its own, a copy rebuilt when the solver changes them.
 */
final class BackwardData implements AutoCloseable {
    private final Dnnl dnnl;
    private final Accumulate accumulate;
    private final primitive primitive;
    private final FoldedWeights weights;
    private final ActivationTensor result;

    /**
     * @param weights      the weights layout {@code primitive} reads
     * @param plainWeights the weights as darknet stores them
     * @param input        the layout of the forward input, and so of its delta
     */
    BackwardData(Dnnl dnnl, Accumulate accumulate, primitive primitive, memory.desc weights, memory.desc plainWeights,
                 Layout input, int outputs) {
        this.dnnl = dnnl;
        this.accumulate = accumulate;
        this.primitive = primitive;
        this.weights = new FoldedWeights(dnnl, plainWeights, weights, outputs);
        this.result = new ActivationTensor(input, dnnl);
    }

    /** {@code inputDelta +=} the input's delta, for the layer's weights and the output's {@code delta}. */
    void add(ParameterTensor layerWeights, memory delta, ActivationTensor inputDelta) {
        weights.refresh(layerWeights, Epilogue.NONE);
        dnnl.execute(primitive, new Arg(DNNL_ARG_DIFF_DST, delta), Arg.weights(weights.weights()),
                new Arg(DNNL_ARG_DIFF_SRC, result.memory()));
        accumulate.apply(result, 1, 1, inputDelta);
    }

    @Override
    public void close() {
        primitive.close();
        weights.close();
        result.close();
    }
}
