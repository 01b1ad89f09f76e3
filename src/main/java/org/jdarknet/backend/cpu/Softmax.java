package org.jdarknet.backend.cpu;

import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.softmax_forward;
import org.jdarknet.backend.Shape;

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
        /** Items × groups × each group's values, {@code itemStride} floats from one item to the next. */
        memory.desc descriptor(long itemStride) {
            long perGroup = shape.itemSize() / groups;
            return new memory.desc(new long[] {shape.n(), groups, perGroup}, memory.data_type.f32,
                    new long[] {itemStride, perGroup, 1});
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
        primitive softmax = dnnl.cached(key, () -> create(key));
        try (memory.desc from = key.descriptor(key.inputStride());
             memory.desc to = key.descriptor(key.outputStride());
             memory source = dnnl.wrap(from, input.memory().get_data_handle());
             memory destination = dnnl.wrap(to, output.memory().get_data_handle())) {
            dnnl.execute(softmax, Arg.src(source), Arg.dst(destination));
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

    private primitive create(Key key) {
        try (memory.desc from = key.descriptor(key.inputStride());
             memory.desc to = key.descriptor(key.outputStride());
             softmax_forward.primitive_desc descriptor = new softmax_forward.primitive_desc(dnnl.engine(),
                     prop_kind.forward_inference, algorithm.softmax_accurate, from, to, 2)) {
            return new softmax_forward(descriptor);
        }
    }
}
