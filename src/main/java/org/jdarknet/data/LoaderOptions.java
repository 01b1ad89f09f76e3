package org.jdarknet.data;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.jdarknet.Log;

/**
 * How a {@link BatchLoader} runs: {@code threads} decoding workers, {@code prefetch} batches
 * loaded ahead of the consumer (the memory bound), the {@code seed} of all its randomness (same
 * seed, same batches, whatever the thread count) and where its warnings go (called from the
 * worker threads).
 */
public record LoaderOptions(int threads, int prefetch, long seed, Consumer<String> warn) {

    public LoaderOptions {
        if (threads < 1 || prefetch < 1) {
            throw new IllegalArgumentException("loader needs threads >= 1 and prefetch >= 1, got " + threads + " and "
                    + prefetch);
        }
    }

    /**
     * One worker per core but one (the compute thread keeps that one; at least one worker), two
     * batches ahead, a random seed (darknet seeds from the clock), warnings to the log.
     */
    public static LoaderOptions defaults() {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        return new LoaderOptions(threads, 2, ThreadLocalRandom.current().nextLong(), Log::warn);
    }

    public LoaderOptions withThreads(int threads) {
        return new LoaderOptions(threads, prefetch, seed, warn);
    }

    public LoaderOptions withSeed(long seed) {
        return new LoaderOptions(threads, prefetch, seed, warn);
    }
}
