package org.jdarknet.backend.cuda;

/**
 * How many blocks of how many threads run an element-wise kernel over {@code elements} values.
 * The kernels loop grid-stride, so the grid need not cover every value: it is capped at a few
 * waves of the device's multiprocessors, which keeps huge tensors from launching millions of
 * blocks and small ones from launching idle ones.
 *
 * @param blocks  blocks in the (one-dimensional) grid
 * @param threads threads per block
 */
record LaunchGeometry(int blocks, int threads) {
    static final int THREADS = 256;
    /** Resident blocks per multiprocessor worth launching at 256 threads (2048 threads per SM). */
    static final int BLOCKS_PER_MULTIPROCESSOR = 8;

    LaunchGeometry {
        if (blocks < 1 || threads < 1) {
            throw new IllegalArgumentException("a launch needs at least one block of one thread: " + blocks + "x" + threads);
        }
    }

    static LaunchGeometry forElements(long elements, int multiprocessors) {
        long needed = (Math.max(1, elements) + THREADS - 1) / THREADS;
        long cap = (long) Math.max(1, multiprocessors) * BLOCKS_PER_MULTIPROCESSOR;
        return new LaunchGeometry((int) Math.min(needed, cap), THREADS);
    }

    /** Threads launched in all. */
    long threadCount() {
        return (long) blocks * threads;
    }
}
