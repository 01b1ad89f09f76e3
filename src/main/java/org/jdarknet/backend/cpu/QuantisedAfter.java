package org.jdarknet.backend.cpu;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;

import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.reorder;
import org.jdarknet.backend.Epilogue;

/**
 * An int8 convolution writing a quantised tensor whose activation runs in Java
 * ({@link JavaActivation}), which needs the floats: it writes them into a scratch tensor of its
 * own, and a reorder then quantises them into the destination's bytes, as the next convolution
 * would have quantised its input.
 */
final class QuantisedAfter implements ForwardPass {
    private final Dnnl dnnl;
    private final ForwardPass floats;
    private final ActivationTensor scratch;
    private final reorder quantize;
    private final memory scale;

    /** @param floats the same convolution writing floats in {@code layout} */
    QuantisedAfter(Dnnl dnnl, ForwardPass floats, Layout layout, float range) {
        this.dnnl = dnnl;
        this.floats = floats;
        this.scratch = new ActivationTensor(layout, dnnl);
        this.quantize = Int8Convolution.quantizer(dnnl, layout.descriptor(), ActivationTensor.integerDescriptor(layout));
        this.scale = Int8Convolution.scale(dnnl, range);
    }

    @Override
    public void forward(memory source, ParameterTensor weights, Epilogue epilogue, memory destination,
                        ActivationTensor output) {
        floats.forward(source, weights, epilogue, scratch.memory(), scratch);
        dnnl.execute(quantize, Arg.src(scratch.memory()), Arg.dst(destination), Arg.scales(DNNL_ARG_DST, scale));
    }

    @Override
    public void close() {
        floats.close();
        scratch.close();
        quantize.close();
        scale.close();
    }
}
