package org.jdarknet.backend.cpu;

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
 * post-ops, or, for the few activations oneDNN lacks, by a Java pass right after.
 */
final class FusedPrimitive implements AutoCloseable {
    private final Dnnl dnnl;
    private final primitive primitive;
    private final FoldedWeights folded;
    private final Activation javaActivation;
    private IntMemoryMap arguments;
    private memory argumentSource;
    private memory argumentDestination;

    /**
     * @param plainWeights the weights as darknet stores them
     * @param weights      the weights layout {@code primitive} was created for
     */
    FusedPrimitive(Dnnl dnnl, primitive primitive, memory.desc plainWeights, memory.desc weights, int outputs,
                   Activation activation) {
        this.dnnl = dnnl;
        this.primitive = primitive;
        this.folded = new FoldedWeights(dnnl, plainWeights, weights, outputs);
        this.javaActivation = EltwiseSteps.of(activation) == null ? activation : null;
    }

    /** Attributes for a primitive that ends with {@code activation}, when oneDNN can compute it. */
    static primitive_attr attributes(Activation activation) {
        List<EltwiseSteps.Step> steps = EltwiseSteps.of(activation);
        primitive_attr attributes = new primitive_attr();
        try (post_ops operations = new post_ops()) {
            attributes.set_post_ops(EltwiseSteps.append(operations, steps == null ? List.of() : steps));
        }
        return attributes;
    }

    /** Runs the primitive from {@code source} into {@code destination}, a view of {@code output}'s buffer. */
    void forward(memory source, ParameterTensor weights, Epilogue epilogue, memory destination, ActivationTensor output) {
        folded.refresh(weights, epilogue);
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
            arguments = Dnnl.arguments(Arg.src(source), Arg.weights(folded.weights()), Arg.bias(folded.bias()),
                    Arg.dst(destination));
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
    }
}
