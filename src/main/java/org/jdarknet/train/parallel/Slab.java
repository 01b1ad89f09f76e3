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
}
