package org.jdarknet.layers;

import java.util.SplittableRandom;
import org.jdarknet.backend.Tensor;

/**
 * What one training forward pass gives the layers: the truth for the batch, randomness for
 * dropout and crops, and a place to report the loss each cost-computing layer found.
 */
public final class TrainingPass {
    private final Tensor truth;
    private final SplittableRandom random;
    private float cost;
    private int costs;

    public TrainingPass(Tensor truth, SplittableRandom random) {
        this.truth = truth;
        this.random = random;
    }

    /** The expected outputs, batch × classes; layers whose output has another size ignore it. */
    public Tensor truth() {
        return truth;
    }

    public SplittableRandom random() {
        return random;
    }

    public void addCost(float value) {
        cost += value;
        costs++;
    }

    /** Darknet's network cost: the mean over the layers that computed one. */
    public float cost() {
        return costs == 0 ? 0 : cost / costs;
    }
}
