package org.jdarknet.bench;

import org.jdarknet.net.Network;

/**
 * What one timed run does to the network: an {@link Inference}, or with {@code --train} a
 * {@link TrainingStep}. Each has its own operation count; timing and reports are shared.
 */
interface Workload {

    /** How reports name the workload: {@code inference} or {@code training}. */
    String name();

    /** Operations per image of one run, for GFLOP/s. */
    long flopsPerImage();

    /** Runs once, telling {@code observer} as each layer finishes, and returns when the backend is done. */
    void run(Network.LayerObserver observer);
}
