package org.jdarknet.backend.cpu;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;

import java.nio.FloatBuffer;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.jdarknet.backend.Shape;
import java.util.Objects;

/**
 * Moves whole activation tensors: between Java arrays in NCHW order and the backend's layout (the
 * network's input and output), and between tensors. oneDNN reorders do the layout conversion on
 * all threads.
 */
final class Transfers {
    private final Dnnl dnnl;

    Transfers(Dnnl dnnl) {
        this.dnnl = dnnl;
    }

    private record ReorderKey(Layout from, memory.data_type type, Layout to) {
        // Written out, not generated: see Shape#equals.
        @Override
        public boolean equals(Object other) {
            return other instanceof ReorderKey key && from.equals(key.from) && type == key.type && to.equals(key.to);
        }

        @Override
        public int hashCode() {
            return Objects.hash(from, type, to);
        }
    }

    private record QuantiserKey(Layout from, Layout to) {
        // Written out, not generated: see Shape#equals.
        @Override
        public boolean equals(Object other) {
            return other instanceof QuantiserKey key && from.equals(key.from) && to.equals(key.to);
        }

        @Override
        public int hashCode() {
            return Objects.hash(from, to);
        }
    }

    void upload(float[] values, ActivationTensor tensor) {
        upload(FloatBuffer.wrap(values), tensor);
    }

    /**
     * Copies the values remaining in {@code values}, in NCHW order, into {@code tensor}'s layout;
     * into a quantised tensor (an int8 network's input), quantised with its range on the way.
     */
    void upload(FloatBuffer values, ActivationTensor tensor) {
        requireSize(values.remaining(), tensor.shape());
        if (tensor.layout().inPlainOrder() && !tensor.quantised()) {
            tensor.values().put(0, values, values.position(), values.remaining());
            values.position(values.limit());
            return;
        }
        Layout plain = plain(tensor.shape());
        try (FloatPointer staging = new FloatPointer(values.remaining());
             memory source = dnnl.wrap(plain.descriptor(), staging)) {
            staging.asBuffer().put(values);
            if (tensor.quantised()) {
                dnnl.execute(quantiser(plain, tensor.layout()), Arg.src(source), Arg.dst(tensor.stored()),
                        Arg.scales(DNNL_ARG_DST, tensor.scale(dnnl)));
            } else {
                dnnl.execute(reorder(plain, tensor.layout()), Arg.src(source), Arg.dst(tensor.memory()));
            }
        }
    }

    /** The reorder from floats in {@code from}'s layout to signed bytes in {@code to}'s, dividing by a scale given on each pass. */
    private primitive quantiser(Layout from, Layout to) {
        return dnnl.cached(new QuantiserKey(from, to), () -> Int8Convolution.quantizer(dnnl, from.descriptor(),
                ActivationTensor.integerDescriptor(to)));
    }

    /** The values in NCHW order; a tensor stored in bf16 widens them (exactly) on the way. */
    float[] download(ActivationTensor tensor) {
        float[] values = new float[tensor.shape().size()];
        if (tensor.layout().inPlainOrder() && !tensor.rounded()) {
            tensor.values().get(0, values);
            return values;
        }
        Layout plain = plain(tensor.shape());
        try (FloatPointer staging = new FloatPointer(values.length);
             memory target = dnnl.wrap(plain.descriptor(), staging)) {
            dnnl.execute(reorder(tensor.layout(), tensor.storedType(), plain), Arg.src(tensor.stored()),
                    Arg.dst(target));
            staging.get(values);
        }
        return values;
    }

    void copy(ActivationTensor source, ActivationTensor destination) {
        if (!source.shape().equals(destination.shape())) {
            throw new IllegalArgumentException("copy between " + source.shape() + " and " + destination.shape());
        }
        dnnl.execute(reorder(source.layout(), destination.layout()), Arg.src(source.memory()),
                Arg.dst(destination.memory()));
    }

    /** Sets every real value; padding lanes (and a view's parent's other channels) stay as they are. */
    void fill(ActivationTensor tensor, float value) {
        if (value == 0 && !tensor.isView()) {
            Pointer.memset(tensor.memory().get_data_handle(), 0, tensor.layout().bufferSize() * Float.BYTES);
            return;
        }
        Layout layout = tensor.layout();
        FloatBuffer values = tensor.values();
        for (int index = 0; index < values.limit(); index++) {
            if (layout.holdsValue(index)) {
                values.put(index, value);
            }
        }
    }

    private primitive reorder(Layout from, Layout to) {
        return reorder(from, memory.data_type.f32, to);
    }

    /** The reorder from {@code from}'s layout, holding {@code type}, to floats in {@code to}'s. */
    private primitive reorder(Layout from, memory.data_type type, Layout to) {
        return dnnl.cached(new ReorderKey(from, type, to), () -> dnnl.reorder(from.descriptor(type), to.descriptor()));
    }

    private static Layout plain(Shape shape) {
        return new Layout(shape, Layout.Format.PLAIN);
    }

    static void requireSize(int length, Shape shape) {
        if (length != shape.size()) {
            throw new IllegalArgumentException("upload of " + length + " values into a tensor of " + shape);
        }
    }
}
