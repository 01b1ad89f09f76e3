package org.jdarknet.backend.cpu;

import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.inner_product_forward;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive_attr;
import org.jdarknet.backend.Activation;
import org.jdarknet.backend.Epilogue;
import org.jdarknet.backend.Shape;

/**
 * Darknet's connected layer as a oneDNN inner product with the epilogue fused. The input is read in
 * its own layout as a 4-D tensor: darknet flattens each item in CHW order, which is exactly how
 * the weights' {@code oihw} dimensions line up. The output, {@code n × outputs × 1 × 1}, is
 * written through a 2-D view of its buffer. It hangs on the weights tensor, so it is released
 * with the layer.
 */
final class InnerProduct implements ParameterTensor.Derived {
    private final FusedPrimitive fused;
    private final memory.desc outputView;
    private final Dnnl dnnl;
    private ActivationTensor viewed;
    private memory view;

    private record Key(Epilogue epilogue, Layout input, Layout output) {
    }

    private InnerProduct(Dnnl dnnl, Layout input, Layout output, Activation activation) {
        this.dnnl = dnnl;
        Shape in = input.shape();
        long outputs = output.shape().c();
        long[] weightDimensions = {outputs, in.c(), in.h(), in.w()};
        this.outputView = new memory.desc(new long[] {in.n(), outputs}, memory.data_type.f32,
                new long[] {output.paddedChannels(), 1});
        try (primitive_attr attributes = FusedPrimitive.attributes(activation);
             inner_product_forward.primitive_desc descriptor = new inner_product_forward.primitive_desc(dnnl.engine(),
                     prop_kind.forward_inference, input.descriptor(), Descriptors.any(weightDimensions),
                     Descriptors.of(memory.format_tag.x, outputs), outputView, attributes, false)) {
            Dnnl.noteSlowKernel(descriptor, "connected layer " + in + " -> " + outputs);
            this.fused = new FusedPrimitive(dnnl, new inner_product_forward(descriptor),
                    Descriptors.of(memory.format_tag.oihw, weightDimensions), descriptor.weights_desc(), (int) outputs,
                    activation);
        }
    }

    /** {@code output = epilogue(weights × input)}, with the primitive kept on {@code weights}. */
    static void forward(Dnnl dnnl, ActivationTensor input, ParameterTensor weights, Epilogue epilogue,
                        ActivationTensor output) {
        weights.derived(new Key(epilogue, input.layout(), output.layout()),
                        () -> new InnerProduct(dnnl, input.layout(), output.layout(), epilogue.activation()))
                .run(input, weights, epilogue, output);
    }

    private void run(ActivationTensor input, ParameterTensor weights, Epilogue epilogue, ActivationTensor output) {
        fused.forward(input.memory(), weights, epilogue, view(output), output);
    }

    /** The 2-D view of {@code output}'s buffer, kept while the same tensor comes back. */
    private memory view(ActivationTensor output) {
        if (output != viewed) {
            if (view != null) {
                view.close();
            }
            view = dnnl.wrap(outputView, output.memory().get_data_handle());
            viewed = output;
        }
        return view;
    }

    @Override
    public void close() {
        if (view != null) {
            view.close();
        }
        fused.close();
    }
}
