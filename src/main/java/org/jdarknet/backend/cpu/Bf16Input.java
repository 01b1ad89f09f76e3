package org.jdarknet.backend.cpu;

import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.reorder;
import org.jdarknet.backend.Epilogue;

/**
 * A forward pass whose primitive reads bf16: each pass first rounds the float input to bf16 (a
 * oneDNN reorder, to nearest, ties to even) into a scratch tensor kept here, in the layout the
 * primitive chose, then runs the primitive on it. Activations stay fp32 between layers, as in the
 * other precisions; the rounding costs one pass over the input, which the bf16 products repay many
 * times over on convolutions (docs/precision-cpu.md).
 */
final class Bf16Input implements ForwardPass {
    private final Dnnl dnnl;
    private final reorder round;
    private final memory rounded;
    private final ForwardPass pass;

    /**
     * @param floats the layout of the input as the layer is given it
     * @param bf16   the input as {@code pass}'s primitive reads it
     * @param pass   the primitive's pass, which this closes
     */
    Bf16Input(Dnnl dnnl, Layout floats, memory.desc bf16, ForwardPass pass) {
        this.dnnl = dnnl;
        this.rounded = dnnl.allocate(bf16);
        try (memory.desc input = floats.descriptor()) {
            this.round = dnnl.reorder(input, bf16);
        }
        this.pass = pass;
    }

    @Override
    public void forward(memory source, ParameterTensor weights, Epilogue epilogue, memory destination,
                        ActivationTensor output) {
        dnnl.execute(round, Arg.src(source), Arg.dst(rounded));
        pass.forward(rounded, weights, epilogue, destination, output);
    }

    @Override
    public void close() {
        pass.close();
        round.close();
        rounded.close();
    }
}
