package org.jdarknet.backend.cpu;

import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.pooling_forward;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.jdarknet.backend.PoolSpec;
import org.jdarknet.backend.Shape;
import java.util.Objects;

/**
 * Max and global average pooling as oneDNN pooling primitives in the activation layout.
 *
 * <p>Darknet's max-pooling window starts {@code padding/2} cells before the image, and its output
 * size {@code (in + padding - size)/stride + 1} fixes where the last window ends; cells outside
 * the image are ignored. oneDNN's max pooling also ignores padded cells, so darknet's rule is
 * oneDNN's with left padding {@code padding/2} and whatever right padding reproduces the output
 * size ({@link PoolSpec#paddingAfter}, possibly negative: the last cells are then never read). Only when a window could lie
 * entirely outside the image (darknet gives {@code -FLT_MAX} there) does the backend leave it to
 * the reference backend.
 */
final class Pooling {
    private final Dnnl dnnl;

    Pooling(Dnnl dnnl) {
        this.dnnl = dnnl;
    }

    private record MaxKey(PoolSpec spec, Layout input, Layout output, memory.data_type type) {
        // Written out, not generated: see Shape#equals.
        @Override
        public boolean equals(Object other) {
            return other instanceof MaxKey key && spec.equals(key.spec) && input.equals(key.input)
                    && output.equals(key.output) && type == key.type;
        }

        @Override
        public int hashCode() {
            return Objects.hash(spec, input, output, type);
        }
    }

    private record AverageKey(Layout input, Layout output) {
        // Written out, not generated: see Shape#equals.
        @Override
        public boolean equals(Object other) {
            return other instanceof AverageKey key && input.equals(key.input) && output.equals(key.output);
        }

        @Override
        public int hashCode() {
            return Objects.hash(input, output);
        }
    }

    /**
     * Max pooling with oneDNN; false, computing nothing, when a window could lie outside the image.
     * Quantised tensors (an int8 hand-off, {@link ActivationTensor#quantised}) pool their integers,
     * input and output in one range; rounded ones (a bf16 hand-off) their bf16 values, which gives
     * the rounding of the float maximum, as rounding keeps the order.
     */
    boolean max(PoolSpec spec, ActivationTensor input, ActivationTensor output) {
        if (input.storedType() != output.storedType() || Float.compare(input.range(), output.range()) != 0) {
            throw new IllegalArgumentException("max-pool from " + input + " into " + output
                    + ": both floats, both bf16, or both quantised in one range");
        }
        if (!spec.everyWindowInImage()) {
            return false;
        }
        long[] left = {-spec.offset(), -spec.offset()};
        long[] right = {spec.paddingAfter(true), spec.paddingAfter(false)};
        primitive pooling = dnnl.cached(new MaxKey(spec, input.layout(), output.layout(), input.storedType()),
                () -> create(algorithm.pooling_max, input.storedDescriptor(), output.storedDescriptor(), spec.size(),
                        spec.size(), spec.stride(), left, right));
        dnnl.execute(pooling, Arg.src(input.stored()), Arg.dst(output.stored()));
        return true;
    }

    /** Every channel of every item to its mean. */
    void average(ActivationTensor input, ActivationTensor output) {
        Shape shape = input.shape();
        long[] none = {0, 0};
        primitive pooling = dnnl.cached(new AverageKey(input.layout(), output.layout()), () -> create(
                algorithm.pooling_avg_exclude_padding, input.layout().descriptor(), output.layout().descriptor(), shape.h(),
                shape.w(), 1, none, none));
        dnnl.execute(pooling, Arg.src(input.memory()), Arg.dst(output.memory()));
    }

    private primitive create(algorithm kind, memory.desc input, memory.desc output, int height, int width, int stride,
                             long[] left, long[] right) {
        try (pooling_forward.primitive_desc descriptor = new pooling_forward.primitive_desc(dnnl.engine(),
                prop_kind.forward_inference, kind, input, output, new long[] {stride, stride},
                new long[] {height, width}, new long[] {0, 0}, left, right)) {
            return new pooling_forward(descriptor);
        }
    }
}
