package org.jdarknet.backend.cpu;

import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.inner_product_backward_data;
import org.bytedeco.dnnl.inner_product_backward_weights;
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
    private final BufferView output;

    private record Key(Epilogue epilogue, Layout input, Layout output) {
    }

    private InnerProduct(Dnnl dnnl, Layout input, Layout output, Activation activation) {
        Shape in = input.shape();
        long outputs = output.shape().c();
        memory.desc outputView = outputView(input, output);
        this.output = new BufferView(dnnl, outputView);
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
        fused.forward(input.memory(), weights, epilogue, this.output.of(output), output);
    }

    /** Back through {@link #forward}: the weight gradient and, unless {@code inputDelta} is null, the input delta. */
    static void backward(Dnnl dnnl, Accumulate accumulate, ActivationTensor input, ParameterTensor weights,
                         ActivationTensor delta, ParameterTensor weightGradient, ActivationTensor inputDelta) {
        weights.derived(new BackwardKey(input.layout(), delta.layout()),
                        () -> new Backward(dnnl, accumulate, input.layout(), delta.layout()))
                .run(input, weights, delta, weightGradient, inputDelta);
    }

    private record BackwardKey(Layout input, Layout output) {
    }

    /** oneDNN's backward primitives for one pair of layouts, reading the delta through the same 2-D view. */
    private static final class Backward implements ParameterTensor.Derived {
        private final LinearBackward primitives;
        private final BufferView delta;

        Backward(Dnnl dnnl, Accumulate accumulate, Layout input, Layout output) {
            memory.desc deltaView = outputView(input, output);
            memory.desc weights = Descriptors.any(weightDimensions(input, output));
            this.delta = new BufferView(dnnl, deltaView);
            try (inner_product_forward.primitive_desc hint = new inner_product_forward.primitive_desc(dnnl.engine(),
                    prop_kind.forward_training, input.descriptor(), weights, deltaView);
                 inner_product_backward_data.primitive_desc data = new inner_product_backward_data.primitive_desc(
                         dnnl.engine(), input.descriptor(), weights, deltaView, hint);
                 inner_product_backward_weights.primitive_desc weightGradient =
                         new inner_product_backward_weights.primitive_desc(dnnl.engine(), input.descriptor(), weights,
                                 deltaView, hint)) {
                this.primitives = new LinearBackward(dnnl, accumulate, new inner_product_backward_data(data),
                        data.weights_desc(), new inner_product_backward_weights(weightGradient),
                        weightGradient.diff_weights_desc(), plainWeights(input, output), input, output.shape().c());
            }
        }

        void run(ActivationTensor input, ParameterTensor weights, ActivationTensor delta, ParameterTensor weightGradient,
                 ActivationTensor inputDelta) {
            primitives.run(input.memory(), weights, this.delta.of(delta), weightGradient, inputDelta);
        }

        @Override
        public void close() {
            delta.close();
            primitives.close();
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
        output.close();
        fused.close();
    }
}
