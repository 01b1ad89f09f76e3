package org.jdarknet.backend.cpu;

import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.softmax_forward;
import org.jdarknet.backend.Shape;
import java.util.Objects;

/**
 * Darknet's softmax as oneDNN's (max subtracted, exponentials summed in fp32), where each item's
 * values lie in darknet's flat CHW order ({@link Layout#inPlainOrder}, or a classifier's one value
 * per channel in any layout, blocked ones padded at the item's end) and no temperature divides
 * them. Each item's {@code groups} slices are the middle dimension of a 3-D view of the buffers,
 * the softmax axis the last. Elsewhere the backend leaves softmax to the reference backend,
 * through the host, which costs a classifier's 1,000 classes about 0.1 ms: a few percent of
 * tiny's pass.
 */
final class Softmax {
    private final Dnnl dnnl;

    private record Key(Shape shape, int groups, long inputStride, long outputStride) {
        // Written out, not generated: see Shape#equals.
        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && shape.equals(key.shape) && groups == key.groups
                    && inputStride == key.inputStride && outputStride == key.outputStride;
        }

        @Override
        public int hashCode() {
            return Objects.hash(shape, groups, inputStride, outputStride);
        }
    }

    /** The primitive and its two 3-D views, made once per key. */
    private record Prepared(primitive softmax, memory.desc input, memory.desc output) implements AutoCloseable {
        @Override
        public void close() {
            softmax.close();
            input.close();
            output.close();
        }
    }

    Softmax(Dnnl dnnl) {
        this.dnnl = dnnl;
    }

    /** Computes {@code output} from {@code input}; false, computing nothing, where this cannot. */
    boolean apply(ActivationTensor input, int groups, float temperature, ActivationTensor output) {
        Shape shape = input.shape();
        if (temperature != 1 || shape.itemSize() % groups != 0 || !flat(input.layout()) || !flat(output.layout())) {
            return false;
        }
        Key key = new Key(shape, groups, itemStride(input.layout()), itemStride(output.layout()));
        Prepared prepared = dnnl.cached(key, () -> prepare(key));
        try (memory source = dnnl.wrap(prepared.input(), input.memory().get_data_handle());
             memory destination = dnnl.wrap(prepared.output(), output.memory().get_data_handle())) {
            dnnl.execute(prepared.softmax(), Arg.src(source), Arg.dst(destination));
        }
        return true;
    }

    /** Whether each item's values lie in darknet's order at the start of the item's part of the buffer. */
    private static boolean flat(Layout layout) {
        return layout.inPlainOrder() || !layout.isView() && layout.shape().h() * layout.shape().w() == 1;
    }

    /** Floats from one item to the next in the buffer (more than the item's values where channels are padded). */
    private static long itemStride(Layout layout) {
        return layout.bufferSize() / layout.shape().n();
    }

    private Prepared prepare(Key key) {
        memory.desc input = view(key, key.inputStride());
        memory.desc output = view(key, key.outputStride());
        try (softmax_forward.primitive_desc descriptor = new softmax_forward.primitive_desc(dnnl.engine(),
                prop_kind.forward_inference, algorithm.softmax_accurate, input, output, 2)) {
            return new Prepared(new softmax_forward(descriptor), input, output);
        }
    }

    /** Items × groups × each group's values, {@code itemStride} floats from one item to the next. */
    private static memory.desc view(Key key, long itemStride) {
        long perGroup = key.shape().itemSize() / key.groups();
        return new memory.desc(new long[] {key.shape().n(), key.groups(), perGroup}, memory.data_type.f32,
                new long[] {itemStride, perGroup, 1});
    }
}
