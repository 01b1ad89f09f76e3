package org.jdarknet.backend.cpu;

import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.inner_product_backward_data;
import org.bytedeco.dnnl.inner_product_backward_weights;
import org.bytedeco.dnnl.inner_product_forward;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.dnnl.primitive_desc;
import org.jdarknet.backend.Activation;
import org.jdarknet.backend.Epilogue;
import org.jdarknet.backend.Shape;

/**
 * Darknet's connected layer as a oneDNN inner product with the epilogue fused. The input is read in
 * its own layout as a 4-D tensor: darknet flattens each item in CHW order, which is exactly how
 * the weights' {@code oihw} dimensions line up. The output, {@code n × outputs × 1 × 1}, is
 * written (and its delta read) through a 2-D view of its buffer. It hangs on the weights tensor,
 * so it is released with the layer.
 */
final class InnerProduct implements ParameterTensor.Derived {
    private final Dnnl dnnl;
    private final FusedPrimitive fused;
    private final memory.desc outputView;

    private record Key(Epilogue epilogue, Layout input, Layout output) {
    }

    private InnerProduct(Dnnl dnnl, Layout input, Layout output, Activation activation) {
        this.dnnl = dnnl;
        Shape in = input.shape();
        long outputs = output.shape().c();
        this.outputView = outputView(input, output);
        try (primitive_attr attributes = FusedPrimitive.attributes(activation);
             inner_product_forward.primitive_desc descriptor = new inner_product_forward.primitive_desc(dnnl.engine(),
                     prop_kind.forward_inference, input.descriptor(), Descriptors.any(weightDimensions(input, output)),
                     Descriptors.of(memory.format_tag.x, outputs), outputView, attributes, false)) {
            Dnnl.noteSlowKernel(descriptor, "connected layer " + in + " -> " + outputs);
            this.fused = new FusedPrimitive(dnnl, new inner_product_forward(descriptor), plainWeights(input, output),
                    descriptor.weights_desc(), (int) outputs, activation);
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
        try (memory view = dnnl.wrap(outputView, output.memory().get_data_handle())) {
            fused.forward(input.memory(), weights, epilogue, view, output);
        }
    }

    /** Back through {@link #forward}: the weights' delta and, unless {@code inputDelta} is null, the input's. */
    static void backward(Dnnl dnnl, Accumulate accumulate, ActivationTensor input, ParameterTensor weights,
                         ActivationTensor delta, ParameterTensor weightGradient, ActivationTensor inputDelta) {
        Backward primitives = new Backward(dnnl, accumulate, input.layout(), delta.layout());
        LinearBackward backward = weights.derived(primitives,
                () -> new LinearBackward(primitives::backwardWeights, primitives::backwardData));
        try (memory view = dnnl.wrap(outputView(input.layout(), delta.layout()), delta.memory().get_data_handle())) {
            backward.run(input.memory(), weights, view, weightGradient, inputDelta);
        }
    }

    /**
     * oneDNN's backward primitives for one pair of layouts, reading the delta through the same 2-D
     * view as the forward writes the output; also the key they are kept under on the weights.
     */
    private record Backward(Dnnl dnnl, Accumulate accumulate, Layout input, Layout output) {

        /** The constructor both backward primitives' descriptions share. */
        @FunctionalInterface
        private interface Descriptor<T extends primitive_desc> {
            T create(engine engine, memory.desc input, memory.desc weights, memory.desc output,
                     inner_product_forward.primitive_desc hint);
        }

        /** A backward primitive's description; oneDNN's hint is the forward for training, without bias. */
        private <T extends primitive_desc> T descriptor(Descriptor<T> constructor) {
            memory.desc weights = Descriptors.any(weightDimensions(input, output));
            memory.desc delta = outputView(input, output);
            try (inner_product_forward.primitive_desc hint = new inner_product_forward.primitive_desc(dnnl.engine(),
                    prop_kind.forward_training, input.descriptor(), weights, delta)) {
                return constructor.create(dnnl.engine(), input.descriptor(), weights, delta, hint);
            }
        }

        BackwardWeights backwardWeights() {
            try (inner_product_backward_weights.primitive_desc descriptor =
                         descriptor(inner_product_backward_weights.primitive_desc::new)) {
                return new BackwardWeights(dnnl, new inner_product_backward_weights(descriptor),
                        descriptor.diff_weights_desc(), plainWeights(input, output));
            }
        }

        BackwardData backwardData() {
            try (inner_product_backward_data.primitive_desc descriptor =
                         descriptor(inner_product_backward_data.primitive_desc::new)) {
                return new BackwardData(dnnl, accumulate, new inner_product_backward_data(descriptor),
                        descriptor.weights_desc(), plainWeights(input, output), input, output.shape().c());
            }
        }
    }

    /** The {@code n × outputs} matrix in the buffer of a {@code n × outputs × 1 × 1} tensor of {@code output}'s layout. */
    private static memory.desc outputView(Layout input, Layout output) {
        return new memory.desc(new long[] {input.shape().n(), output.shape().c()}, memory.data_type.f32,
                new long[] {output.paddedChannels(), 1});
    }

    private static long[] weightDimensions(Layout input, Layout output) {
        Shape in = input.shape();
        return new long[] {output.shape().c(), in.c(), in.h(), in.w()};
    }

    private static memory.desc plainWeights(Layout input, Layout output) {
        return Descriptors.of(memory.format_tag.oihw, weightDimensions(input, output));
    }

    @Override
    public void close() {
        fused.close();
    }
}
