package org.jdarknet.train.parallel;

import java.util.List;

/**
 * A collective over one {@link Slab} per replica, prepared once for fixed slabs and run every
 * step. {@link HostAllReduce} goes through the host; the cuda backend's {@code NcclAllReduce}
 * ({@code ncclAllReduce} with {@code ncclAvg}, {@code ncclBroadcast}) keeps the slabs on the GPUs,
 * without the training loop noticing.
 */
public interface AllReduce extends AutoCloseable {

    /**
     * Every replica's slab becomes the element-wise mean of all replicas' slabs, the same floats on
     * every replica (each implementation states its summation order).
     */
    void average();

    /** Every replica's slab becomes a copy of replica 0's. */
    void broadcast();

    /** Releases what the implementation holds (buffers, communicators); the slabs stay. */
    @Override
    default void close() {
    }

    /** Prepares an {@link AllReduce} over {@code slabs}, replica 0's first. */
    @FunctionalInterface
    interface Factory {
        AllReduce over(List<Slab> slabs);
    }

    /** The host implementation, for every backend. */
    static Factory host() {
        return HostAllReduce.FACTORY;
    }
}
