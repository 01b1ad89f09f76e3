package org.jdarknet.backend.cuda;

/**
 * How batch normalisation's per-channel sums are split for the parallel statistics kernels: each
 * plane (one item's channel) in chunks of {@link #CHUNK} values, each chunk summed in double by its
 * own thread. Only worth it for long channels: a channel of at most {@link #EXACT_UP_TO} values is
 * summed by one thread in the reference's exact order, bit-equal; longer ones (the first layers of
 * a large batch: 64 items of 128x128 are a million dependent adds) take the parallel kernels, which
 * are deterministic but agree with the reference only within the kernels' stated 1e-4. The bound
 * puts both kinds into GpuConformance's training steps (batch 8 at 64x64: the first layers
 * parallel, the deeper ones exact).
 *
 * @param planes  items x channels
 * @param spatial values per plane
 */
record Chunking(long planes, int spatial) {
    static final int CHUNK = 4096;
    static final long EXACT_UP_TO = 16384;

    /** Whether a channel of {@code batch} planes of {@code spatial} values is summed in parallel. */
    static boolean parallel(int batch, int spatial) {
        return (long) batch * spatial > EXACT_UP_TO;
    }

    /** Chunks per plane: {@code ceil(spatial / CHUNK)}. */
    long chunks() {
        return (spatial + (long) CHUNK - 1) / CHUNK;
    }

    /** Work items of the chunk kernels: one per chunk of every plane. */
    long chunkItems() {
        return planes * chunks();
    }

    /**
     * Floats of scratch that hold the partial sums (doubles): one per chunk forward, three per
     * chunk backward, as the kernels' ABI sizes them.
     */
    int scratchFloats() {
        return Math.toIntExact(3 * chunkItems() * (Double.BYTES / Float.BYTES));
    }
}
