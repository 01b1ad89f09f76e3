package org.jdarknet.backend.cpu;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.post_ops;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.primitive_attr;
import org.jdarknet.backend.Activation;
import org.jdarknet.backend.Epilogue;

/**
 * A convolution or inner product with darknet's epilogue fused in: batch normalisation and bias
 * folded into its weights and bias ({@link FoldedWeights}), the activation applied as eltwise
 * post-ops, or, for the few activations oneDNN lacks, by a Java pass right after; a residual, when
 * given, as post-ops after the activation's ({@link ResidualPostOps}). Its weights
 * may be floats or integers ({@link FoldedWeights.Store}); integers come with their scales, which
 * the primitive reads as further arguments.
 */
final class FusedPrimitive implements ForwardPass {
    private final Dnnl dnnl;
    private final primitive primitive;
    private final FoldedWeights folded;
    private final List<Arg> constants;
    private final Activation javaActivation;
    private final ResidualPostOps residual;
    private IntMemoryMap arguments;
    private memory argumentSource;
    private memory argumentDestination;

    /**
     * @param plainWeights the weights as darknet stores them
     * @param weights      the weights layout {@code primitive} was created for
     * @param residual     the residual the primitive was created to fuse ({@link #attributes}), or null
     */
    FusedPrimitive(Dnnl dnnl, primitive primitive, memory.desc plainWeights, memory.desc weights, int outputs,
                   Activation activation, ResidualPostOps residual) {
        this(dnnl, primitive, new FoldedWeights(dnnl, plainWeights, weights, outputs), List.of(), activation, residual);
    }

    /**
     * @param folded    the primitive's weights and bias, which it closes
     * @param constants further arguments the primitive reads on every pass (scales)
     * @param residual  the residual the primitive was created to fuse, or null, which it closes;
     *                  never with an activation computed in Java
     */
    FusedPrimitive(Dnnl dnnl, primitive primitive, FoldedWeights folded, List<Arg> constants, Activation activation,
                   ResidualPostOps residual) {
        this.dnnl = dnnl;
        this.primitive = primitive;
        this.folded = folded;
        List<Arg> all = new ArrayList<>(constants);
        if (residual != null) {
            all.add(residual.argument(dnnl));
        }
        this.constants = List.copyOf(all);
        this.javaActivation = EltwiseSteps.of(activation) == null ? activation : null;
        this.residual = residual;
    }

    /**
     * Attributes for a primitive that ends with {@code activation}, when oneDNN can compute it, then
     * {@code residual} (null: none). What it computes in is the number type of its memories.
     */
    static primitive_attr attributes(Activation activation, ResidualPostOps residual) {
        List<EltwiseSteps.Step> steps = EltwiseSteps.of(activation);
        primitive_attr attributes = new primitive_attr();
        try (post_ops operations = new post_ops()) {
            EltwiseSteps.append(operations, steps == null ? List.of() : steps);
            attributes.set_post_ops(residual == null ? operations : residual.append(operations));
        }
        return attributes;
    }

    @Override
    public void forward(memory source, ParameterTensor weights, Epilogue epilogue, memory destination, ActivationTensor output) {
        folded.refresh(weights, epilogue);
        if (residual != null) {
            residual.gather();
        }
        dnnl.execute(primitive, arguments(source, destination));
        if (javaActivation != null) {
            JavaActivation.apply(javaActivation, output);
        }
    }

    /** The argument map, kept while the same tensors come back (layers reuse theirs on every pass). */
    private IntMemoryMap arguments(memory source, memory destination) {
        if (source != argumentSource || destination != argumentDestination) {
            if (arguments != null) {
                arguments.close();
            }
            List<Arg> all = new ArrayList<>(List.of(Arg.src(source), Arg.weights(folded.weights()),
                    Arg.bias(folded.bias()), Arg.dst(destination)));
            all.addAll(constants);
            arguments = Dnnl.arguments(all.toArray(Arg[]::new));
            argumentSource = source;
            argumentDestination = destination;
        }
        return arguments;
    }

    @Override
    public void close() {
        if (arguments != null) {
            arguments.close();
        }
        primitive.close();
        folded.close();
        if (residual != null) {
            residual.close();
        }
    }
}
