package org.jdarknet.backend.cpu;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;

import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.reorder;
import org.jdarknet.backend.Epilogue;

/**
 * A convolution writing a hand-off stored narrower than floats (an int8 or bf16 one) whose
 * activation runs in Java ({@link JavaActivation}), which needs the floats: it writes them into a
 * scratch tensor of its own (dense, even where the destination is a channel view), and a reorder
 * then narrows them into the destination as the next convolution would have narrowed its input:
 * to signed bytes of the hand-off's scale, or to bf16.
 */
final class NarrowedAfter implements ForwardPass {
    private final Dnnl dnnl;
    private final ForwardPass floats;
    private final ActivationTensor scratch;
    private final reorder narrow;
    /** The quantised hand-off's scale; null for bf16. */
    private final memory scale;

    private NarrowedAfter(Dnnl dnnl, ForwardPass floats, Layout layout, reorder narrow, memory scale) {
        this.dnnl = dnnl;
        this.floats = floats;
        this.scratch = new ActivationTensor(layout, dnnl);
        this.narrow = narrow;
        this.scale = scale;
    }

    /** @param floats the same convolution writing floats in {@code layout}, to be quantised with {@code range} */
    static NarrowedAfter quantising(Dnnl dnnl, ForwardPass floats, Layout layout, float range) {
        return new NarrowedAfter(dnnl, floats, layout,
                Int8Convolution.quantizer(dnnl, layout.descriptor(), ActivationTensor.integerDescriptor(layout)),
                Int8Convolution.scale(dnnl, range));
    }

    /**
     * @param floats      the same convolution writing floats in {@code layout}, to be rounded to bf16
     * @param destination the layout of the hand-off it writes: {@code layout}, or a view of a
     *                    route's buffer with its shape and format
     */
    static NarrowedAfter rounding(Dnnl dnnl, ForwardPass floats, Layout layout, Layout destination) {
        try (memory.desc from = layout.descriptor(); memory.desc to = destination.descriptor(memory.data_type.bf16)) {
            return new NarrowedAfter(dnnl, floats, layout, dnnl.reorder(from, to), null);
        }
    }

    @Override
    public void forward(memory source, ParameterTensor weights, Epilogue epilogue, memory destination,
                        ActivationTensor output) {
        floats.forward(source, weights, epilogue, scratch.memory(), scratch);
        if (scale == null) {
            dnnl.execute(narrow, Arg.src(scratch.memory()), Arg.dst(destination));
        } else {
            dnnl.execute(narrow, Arg.src(scratch.memory()), Arg.dst(destination), Arg.scales(DNNL_ARG_DST, scale));
        }
    }

    @Override
    public void close() {
        floats.close();
        scratch.close();
        narrow.close();
        if (scale != null) {
            scale.close();
        }
    }
}
