package org.jdarknet.backend.cpu;

import java.util.Objects;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.inner_product_backward_data;
import org.bytedeco.dnnl.inner_product_backward_weights;
import org.bytedeco.dnnl.inner_product_forward;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.dnnl.primitive_desc;
import org.jdarknet.backend.Activation;
import org.jdarknet.backend.Shape;

/**
 * oneDNN's inner-product primitives for darknet's connected layer, between two activation
 * layouts. The input is read in its own layout as a 4-D tensor: darknet flattens each item in CHW
 * order, which is exactly how the weights' {@code oihw} dimensions line up. The output,
 * {@code n × outputs × 1 × 1}, is written (and its delta read) through a 2-D view of its buffer,
 * {@link #outputView}. Connected layers compute in fp32 in every precision: they are the classifier
 * head, where a lower precision would cost accuracy most, and a small part of the work.
 *
 * @param input  the layout of the layer's input, and of its delta
 * @param output the layout of the layer's output, and of its delta
 */
record InnerProduct(Dnnl dnnl, Accumulate accumulate, Layout input, Layout output) {

    /** The forward primitive with {@code activation} fused (or applied right after, when oneDNN lacks it). */
    FusedPrimitive forward(Activation activation) {
        long outputs = output.shape().c();
        try (primitive_attr attributes = FusedPrimitive.attributes(activation, null);
             inner_product_forward.primitive_desc descriptor = new inner_product_forward.primitive_desc(dnnl.engine(),
                     prop_kind.forward_inference, input.descriptor(), Descriptors.any(weightDimensions()),
                     Descriptors.of(memory.format_tag.x, outputs), outputView(), attributes, false)) {
            Dnnl.noteKernel(descriptor, () -> "connected layer " + input.shape() + " -> " + outputs + " in fp32");
            return new FusedPrimitive(dnnl, new inner_product_forward(descriptor), plainWeights(),
                    descriptor.weights_desc(), (int) outputs, activation, null);
        }
    }

    /** The constructor both backward primitives' descriptions share. */
    @FunctionalInterface
    private interface Descriptor<T extends primitive_desc> {
        T create(engine engine, memory.desc input, memory.desc weights, memory.desc output,
                 inner_product_forward.primitive_desc hint);
    }

    /** A backward primitive's description; oneDNN's hint is the forward for training, without bias. */
    private <T extends primitive_desc> T descriptor(Descriptor<T> constructor) {
        memory.desc weights = Descriptors.any(weightDimensions());
        memory.desc delta = outputView();
        try (inner_product_forward.primitive_desc hint = new inner_product_forward.primitive_desc(dnnl.engine(),
                prop_kind.forward_training, input.descriptor(), weights, delta)) {
            return constructor.create(dnnl.engine(), input.descriptor(), weights, delta, hint);
        }
    }

    BackwardWeights backwardWeights() {
        try (inner_product_backward_weights.primitive_desc descriptor =
                     descriptor(inner_product_backward_weights.primitive_desc::new)) {
            return new BackwardWeights(dnnl, new inner_product_backward_weights(descriptor),
                    descriptor.diff_weights_desc(), plainWeights());
        }
    }

    BackwardData backwardData() {
        try (inner_product_backward_data.primitive_desc descriptor =
                     descriptor(inner_product_backward_data.primitive_desc::new)) {
            return new BackwardData(dnnl, accumulate, new inner_product_backward_data(descriptor),
                    descriptor.weights_desc(), plainWeights(), input, output.shape().c());
        }
    }

    /**
     * The {@code n × outputs} matrix in the buffer of a {@code n × outputs × 1 × 1} tensor of the
     * output's layout (a channel view's columns from its first channel on).
     */
    memory.desc outputView() {
        long items = input.shape().n();
        long stride = output.paddedChannels();
        try (memory.desc rows = new memory.desc(new long[] {items, stride}, memory.data_type.f32, new long[] {stride, 1})) {
            return rows.submemory_desc(new long[] {items, output.shape().c()}, new long[] {0, output.firstChannel()});
        }
    }

    private long[] weightDimensions() {
        Shape in = input.shape();
        return new long[] {output.shape().c(), in.c(), in.h(), in.w()};
    }

    private memory.desc plainWeights() {
        return Descriptors.of(memory.format_tag.oihw, weightDimensions());
    }

    // Written out, not generated: see Shape#equals.
    @Override
    public boolean equals(Object other) {
        return other instanceof InnerProduct product && dnnl == product.dnnl && accumulate == product.accumulate
                && input.equals(product.input) && output.equals(product.output);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dnnl, accumulate, input, output);
    }
}
