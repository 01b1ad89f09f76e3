package org.jdarknet.bench;

import org.jdarknet.backend.Shape;

/**
 * One layer's time within a run: the median over the timed runs, and its share of the sum of all
 * layers' medians.
 */
public record LayerTiming(int index, String kind, Shape input, Shape output, long flops, double ms, double share) {

    public double bflops() {
        return flops / 1e9;
    }
}
