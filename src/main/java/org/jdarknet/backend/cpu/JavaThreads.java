package org.jdarknet.backend.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * The threads the backend's Java passes run on, as many as oneDNN's primitives use. The two pools
 * take turns rather than fight for the cores: oneDNN's OpenMP threads sleep soon after each
 * primitive (a brief spin, see {@link OpenMp}), and a Java pass runs between two primitives.
 */
final class JavaThreads implements AutoCloseable {
    /** Parts per thread, so that a thread slowed down by another process leaves its share to the others. */
    private static final int PARTS_PER_THREAD = 4;

    private final int threads;
    private final ForkJoinPool pool;

    JavaThreads(int threads) {
        this.threads = threads;
        this.pool = threads > 1 ? new ForkJoinPool(threads) : null;
    }

    /** A range of work items given to one part: items {@code from} (inclusive) to {@code to} (exclusive). */
    @FunctionalInterface
    interface Part {
        void run(int part, int from, int to);
    }

    /** How many parts {@link #split} cuts {@code count} items into; parts that accumulate keep one result each. */
    int parts(int count) {
        return Math.max(1, Math.min(count, threads * PARTS_PER_THREAD));
    }

    /** Runs {@code work} on {@link #parts} contiguous ranges of {@code [0, count)}, in parallel, and waits for all. */
    void split(int count, Part work) {
        int parts = parts(count);
        if (pool == null || parts == 1) {
            for (int part = 0; part < parts; part++) {
                run(work, part, parts, count);
            }
            return;
        }
        pool.submit(() -> IntStream.range(0, parts).parallel().forEach(part -> run(work, part, parts, count))).join();
    }

    private static void run(Part work, int part, int parts, int count) {
        work.run(part, (int) ((long) count * part / parts), (int) ((long) count * (part + 1) / parts));
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdown();
        }
    }
}
