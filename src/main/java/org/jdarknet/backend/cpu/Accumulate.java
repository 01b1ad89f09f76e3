package org.jdarknet.backend.cpu;

import org.bytedeco.dnnl.memory_desc_vector;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.sum;

/**
 * {@code to = alpha*to + beta*from} for two activation tensors of one shape, as one in-place
 * oneDNN sum (cached per layouts and factors): residual additions, and the accumulation of deltas
 * that darknet's backward passes ask for. Padding lanes are zero in both, so they stay zero.
 */
final class Accumulate {
    private final Dnnl dnnl;

    Accumulate(Dnnl dnnl) {
        this.dnnl = dnnl;
    }

    private record Key(Layout to, Layout from, float alpha, float beta) {
    }

    void apply(ActivationTensor from, float alpha, float beta, ActivationTensor to) {
        if (!from.shape().equals(to.shape())) {
            throw new IllegalArgumentException("cannot add a " + from.shape() + " tensor to a " + to.shape() + " one");
        }
        primitive sum = dnnl.cached(new Key(to.layout(), from.layout(), alpha, beta),
                () -> create(to.layout(), from.layout(), alpha, beta));
        dnnl.execute(sum, Arg.src(0, to.memory()), Arg.src(1, from.memory()), Arg.dst(to.memory()));
    }

    private primitive create(Layout to, Layout from, float alpha, float beta) {
        try (memory_desc_vector sources = new memory_desc_vector(to.descriptor(), from.descriptor());
             sum.primitive_desc descriptor = new sum.primitive_desc(dnnl.engine(), to.descriptor(),
                     new float[] {alpha, beta}, sources)) {
            return new sum(descriptor);
        }
    }
}
