package org.jdarknet.backend.cpu;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;

import java.nio.FloatBuffer;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.javacpp.FloatPointer;

/**
 * oneDNN's backward-weights primitive of a convolution or an inner product, its result added to
 * the layer's gradient. oneDNN overwrites its output, in a layout of its choosing, where darknet's
 * backward adds in darknet's order: so the result is reordered to that order, then added in Java.
 */
final class BackwardWeights implements AutoCloseable {
    private final Dnnl dnnl;
    private final primitive primitive;
    private final memory result;
    private final memory plain;
    private final reorder toPlain;
    private final FloatBuffer plainValues;

    /**
     * @param result       the layout {@code primitive} writes the gradient in
     * @param plainWeights the weights as darknet stores them
     */
    BackwardWeights(Dnnl dnnl, primitive primitive, memory.desc result, memory.desc plainWeights) {
        this.dnnl = dnnl;
        this.primitive = primitive;
        this.result = dnnl.allocate(result);
        this.plain = dnnl.allocate(plainWeights);
        this.toPlain = dnnl.reorder(result, plainWeights);
        this.plainValues = new FloatPointer(plain.get_data_handle()).capacity(plainWeights.get_size() / Float.BYTES)
                .asBuffer();
    }

    /** {@code gradient +=} the weights' delta, for the forward {@code input} and the output's {@code delta}. */
    void add(memory input, memory delta, ParameterTensor gradient) {
        dnnl.execute(primitive, Arg.src(input), new Arg(DNNL_ARG_DIFF_DST, delta), new Arg(DNNL_ARG_DIFF_WEIGHTS, result));
        dnnl.execute(toPlain, Arg.src(result), Arg.dst(plain));
        gradient.write(values -> {
            for (int i = 0; i < values.length; i++) {
                values[i] += plainValues.get(i);
            }
        });
    }

    @Override
    public void close() {
        primitive.close();
        toPlain.close();
        result.close();
        plain.close();
    }
}
