package org.jdarknet.train.parallel;

import java.nio.FloatBuffer;
import java.util.List;
import org.jdarknet.backend.Tensor;

/**
 * {@link AllReduce} through the host, for any backend: each replica's slab is downloaded, summed in
 * replica order and divided by the replica count, and the result uploaded to every replica. For
 * each float the sum is {@code ((x0 + x1) + x2) + ...} in float, then {@code / N}: the order is
 * fixed, so a run is repeatable and every replica receives the same bits.
 */
final class HostAllReduce implements AllReduce {
    static final Factory FACTORY = HostAllReduce::new;
    private final List<Slab> slabs;
    private final float[] result;

    HostAllReduce(List<Slab> slabs) {
        Slab.requireSameLayout(slabs);
        this.slabs = List.copyOf(slabs);
        this.result = new float[slabs.get(0).length()];
    }

    @Override
    public void average() {
        gather(slabs.get(0), Accumulation.COPY);
        for (Slab slab : slabs.subList(1, slabs.size())) {
            gather(slab, Accumulation.ADD);
        }
        float count = slabs.size();
        for (int i = 0; i < result.length; i++) {
            result[i] /= count;
        }
        slabs.forEach(this::scatter);
    }

    @Override
    public void broadcast() {
        gather(slabs.get(0), Accumulation.COPY);
        slabs.subList(1, slabs.size()).forEach(this::scatter);
    }

    private enum Accumulation { COPY, ADD }

    private void gather(Slab slab, Accumulation accumulation) {
        int offset = 0;
        for (Tensor tensor : slab.tensors()) {
            float[] values = slab.backend().download(tensor);
            if (accumulation == Accumulation.COPY) {
                System.arraycopy(values, 0, result, offset, values.length);
            } else {
                for (int i = 0; i < values.length; i++) {
                    result[offset + i] += values[i];
                }
            }
            offset += values.length;
        }
    }

    private void scatter(Slab slab) {
        int offset = 0;
        for (Tensor tensor : slab.tensors()) {
            int length = tensor.shape().size();
            slab.backend().upload(FloatBuffer.wrap(result, offset, length), tensor);
            offset += length;
        }
    }
}
