package org.jdarknet.backend.cpu;

import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.softmax_forward;
import org.jdarknet.backend.Shape;

/**
 * Darknet's softmax as oneDNN's (max subtracted, exponentials summed in fp32), where the tensors
 * hold their values in darknet's flat CHW order ({@link Layout#inPlainOrder}: a classifier's
 * one-value-per-channel output in any layout) and no temperature divides them. Each item's
 * {@code groups} slices are the middle dimension of a 3-D view of the buffers, the softmax axis
 * the last. Elsewhere the backend leaves softmax to the reference backend, through the host,
 * which costs a classifier's 1,000 classes about 0.1 ms: a few percent of tiny's pass.
 */
final class Softmax {
    private final Dnnl dnnl;

    private record Key(Shape shape, int groups) {
    }

    Softmax(Dnnl dnnl) {
        this.dnnl = dnnl;
    }

    /** Computes {@code output} from {@code input}; false, computing nothing, where this cannot. */
    boolean apply(ActivationTensor input, int groups, float temperature, ActivationTensor output) {
        Shape shape = input.shape();
        if (temperature != 1 || shape.itemSize() % groups != 0 || !input.layout().inPlainOrder()
                || !output.layout().inPlainOrder()) {
            return false;
        }
        long[] dimensions = {shape.n(), groups, shape.itemSize() / groups};
        primitive softmax = dnnl.cached(new Key(shape, groups), () -> create(dimensions));
        try (memory.desc flat = Descriptors.of(memory.format_tag.abc, dimensions);
             memory source = dnnl.wrap(flat, input.memory().get_data_handle());
             memory destination = dnnl.wrap(flat, output.memory().get_data_handle())) {
            dnnl.execute(softmax, Arg.src(source), Arg.dst(destination));
        }
        return true;
    }

    private primitive create(long[] dimensions) {
        try (memory.desc flat = Descriptors.of(memory.format_tag.abc, dimensions);
             softmax_forward.primitive_desc descriptor = new softmax_forward.primitive_desc(dnnl.engine(),
                     prop_kind.forward_inference, algorithm.softmax_accurate, flat, flat, 2)) {
            return new softmax_forward(descriptor);
        }
    }
}
