package org.jdarknet.backend.cpu;

import java.nio.FloatBuffer;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.javacpp.FloatPointer;
import org.jdarknet.backend.Epilogue;

/**
 * Back through a convolution or an inner product with oneDNN's backward-data and backward-weights
 * primitives. oneDNN overwrites its results where darknet's backward adds to them, so the input
 * delta goes to a scratch tensor that is then added to the layer below's delta, and the weight
 * gradient, in the primitive's own layout, is reordered to darknet's order and added to the
 * gradient's values.
 */
final class LinearBackward implements AutoCloseable {
    private final Dnnl dnnl;
    private final Accumulate accumulate;
    private final primitive data;
    private final FoldedWeights dataWeights;
    private final ActivationTensor inputDelta;
    private final primitive weights;
    private final memory weightGradient;
    private final memory plainGradient;
    private final reorder toPlain;
    private final FloatBuffer plainValues;

    /**
     * @param data            the backward-data primitive
     * @param dataWeights     the weights layout {@code data} reads
     * @param weights         the backward-weights primitive
     * @param weightGradient  the layout {@code weights} writes the gradient in
     * @param plainWeights    the weights as darknet stores them
     * @param input           the layout of the forward input (and so of the input delta)
     */
    LinearBackward(Dnnl dnnl, Accumulate accumulate, primitive data, memory.desc dataWeights, primitive weights,
                   memory.desc weightGradient, memory.desc plainWeights, Layout input, int outputs) {
        this.dnnl = dnnl;
        this.accumulate = accumulate;
        this.data = data;
        this.dataWeights = new FoldedWeights(dnnl, plainWeights, dataWeights, outputs);
        this.inputDelta = new ActivationTensor(input, dnnl);
        this.weights = weights;
        this.weightGradient = dnnl.allocate(weightGradient);
        this.plainGradient = dnnl.allocate(plainWeights);
        this.toPlain = dnnl.reorder(weightGradient, plainWeights);
        this.plainValues = new FloatPointer(plainGradient.get_data_handle())
                .capacity(plainWeights.get_size() / Float.BYTES).asBuffer();
    }

    /**
     * Adds the weight gradient to {@code gradient} and, unless {@code inputDelta} is null, the
     * delta with respect to the input to {@code inputDelta}.
     *
     * @param delta the delta of the layer's output, as the primitives were created to read it
     */
    void run(memory input, ParameterTensor layerWeights, memory delta, ParameterTensor gradient,
             ActivationTensor inputDelta) {
        dnnl.execute(weights, Arg.src(input), Arg.diffDst(delta), Arg.diffWeights(weightGradient));
        dnnl.execute(toPlain, Arg.src(weightGradient), Arg.dst(plainGradient));
        float[] values = gradient.values();
        for (int i = 0; i < values.length; i++) {
            values[i] += plainValues.get(i);
        }
        gradient.changed();
        if (inputDelta != null) {
            dataWeights.refresh(layerWeights, Epilogue.NONE);
            dnnl.execute(data, Arg.diffDst(delta), Arg.weights(dataWeights.weights()),
                    Arg.diffSrc(this.inputDelta.memory()));
            accumulate.apply(this.inputDelta, 1, 1, inputDelta);
        }
    }

    @Override
    public void close() {
        data.close();
        dataWeights.close();
        inputDelta.close();
        weights.close();
        weightGradient.close();
        plainGradient.close();
        toPlain.close();
    }
}
