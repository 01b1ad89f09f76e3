package org.jdarknet.backend.cpu;

import java.util.HashMap;
import java.util.Map;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive_attr;
import org.jdarknet.backend.Convolution;
import org.jdarknet.backend.ConvolutionSpec;
import org.jdarknet.backend.Epilogue;
import org.jdarknet.backend.Tensor;

/**
 * A oneDNN convolution for one darknet geometry, reading and writing the backend's activation
 * layouts directly and picking its own weights layout. One fused primitive per epilogue (a layer
 * uses one; training would add the bare {@link Epilogue#NONE}).
 */
final class CpuConvolution implements Convolution {
    private final ConvolutionSpec spec;
    private final Dnnl dnnl;
    private final Layout input;
    private final Layout output;
    private final Map<Epilogue, FusedPrimitive> fused = new HashMap<>();

    CpuConvolution(ConvolutionSpec spec, Dnnl dnnl) {
        this.spec = spec;
        this.dnnl = dnnl;
        this.input = dnnl.layout(spec.input());
        this.output = dnnl.layout(spec.output());
    }

    @Override
    public ConvolutionSpec spec() {
        return spec;
    }

    @Override
    public void forward(Tensor input, Tensor weights, Epilogue epilogue, Tensor output) {
        ActivationTensor source = requireLayout(input, this.input, "input");
        ActivationTensor destination = requireLayout(output, this.output, "output");
        fused.computeIfAbsent(epilogue, this::create)
                .forward(source.memory(), ParameterTensor.of(weights), epilogue, destination.memory(), destination);
    }

    private static ActivationTensor requireLayout(Tensor tensor, Layout expected, String role) {
        ActivationTensor activation = ActivationTensor.of(tensor);
        if (!activation.layout().equals(expected)) {
            throw new IllegalArgumentException("convolution " + role + " is " + activation.layout()
                    + ", expected " + expected);
        }
        return activation;
    }

    private FusedPrimitive create(Epilogue epilogue) {
        memory.desc plainWeights = Descriptors.of(spec.groups() == 1 ? memory.format_tag.oihw : memory.format_tag.goihw,
                weightDimensions());
        long[] strides = {spec.stride(), spec.stride()};
        // oneDNN rounds the output size down as darknet does, so the same padding on both sides gives darknet's shape.
        long[] padding = {spec.padding(), spec.padding()};
        try (primitive_attr attributes = FusedPrimitive.attributes(epilogue.activation());
             convolution_forward.primitive_desc descriptor = new convolution_forward.primitive_desc(dnnl.engine(),
                     prop_kind.forward_inference, algorithm.convolution_direct, input.descriptor(),
                     Descriptors.any(weightDimensions()), Descriptors.of(memory.format_tag.x, spec.filters()),
                     output.descriptor(), strides, padding, padding, attributes, false)) {
            Dnnl.noteSlowKernel(descriptor, "convolution " + spec);
            return new FusedPrimitive(dnnl, new convolution_forward(descriptor), plainWeights, descriptor.weights_desc(),
                    spec.filters(), epilogue.activation());
        }
    }

    /** Darknet's weights order, filters × channels/groups × size × size, with oneDNN's group dimension in front. */
    private long[] weightDimensions() {
        int groups = spec.groups();
        long filters = spec.filters() / groups;
        long channels = spec.input().c() / groups;
        return groups == 1 ? new long[] {filters, channels, spec.size(), spec.size()}
                : new long[] {groups, filters, channels, spec.size(), spec.size()};
    }

    @Override
    public void close() {
        fused.values().forEach(FusedPrimitive::close);
        fused.clear();
    }
}
