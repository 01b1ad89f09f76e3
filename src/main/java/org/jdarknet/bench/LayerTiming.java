package org.jdarknet.bench;

import org.jdarknet.backend.Shape;

/**
 * One layer's time within a run: every timed run's, and the median's share of the sum of all
 * layers' medians.
 */
public record LayerTiming(int index, String kind, Shape input, Shape output, long flops, Timings timings,
                          double share) {

    /** The median over the timed runs. */
    public double ms() {
        return timings.medianMs();
    }

    public double bflops() {
        return flops / 1e9;
    }
}
