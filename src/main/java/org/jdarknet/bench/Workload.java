package org.jdarknet.bench;

import org.jdarknet.net.Network;

/**
 * What one timed run does to the network. Inference is the only workload today. A training step
 * (forward, backward and weight update of one batch, for {@code --train}) will be a second
 * implementation, created where {@link Benchmark} creates {@link Inference}, with its own
 * operation count; timing and reports need no change.
 */
interface Workload {

    /** How reports name the workload: {@code inference}. */
    String name();

    /** Operations per image of one run, for GFLOP/s. */
    long flopsPerImage();

    /** Runs once, telling {@code observer} as each layer finishes, and returns when the backend is done. */
    void run(Network.LayerObserver observer);
}
