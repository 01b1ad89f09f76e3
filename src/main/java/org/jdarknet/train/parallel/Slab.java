package org.jdarknet.train.parallel;

import java.util.List;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.Tensor;

/**
 * One replica's share of a reduction: tensors on that replica's backend, the same number, order and
 * shapes on every replica, reduced as if they were one vector laid end to end.
 */
public record Slab(Backend backend, List<Tensor> tensors) {
    public Slab {
        tensors = List.copyOf(tensors);
    }

    /** Floats in the whole slab. */
    public int length() {
        return tensors.stream().mapToInt(tensor -> tensor.shape().size()).sum();
    }

    /**
     * Refuses no slabs at all, and replicas' slabs that differ in the number or shapes of their
     * tensors: an all-reduce pairs them up by position.
     */
    public static void requireSameLayout(List<Slab> slabs) {
        if (slabs.isEmpty()) {
            throw new IllegalArgumentException("an all-reduce needs at least one replica");
        }
        List<Tensor> first = slabs.get(0).tensors();
        for (Slab slab : slabs) {
            boolean same = slab.tensors().size() == first.size();
            for (int i = 0; same && i < first.size(); i++) {
                same = slab.tensors().get(i).shape().equals(first.get(i).shape());
            }
            if (!same) {
                throw new IllegalArgumentException("replicas' slabs differ in their tensors: " + slab.tensors().size()
                        + " tensors against " + first.size() + " on replica 0");
            }
        }
    }
}
