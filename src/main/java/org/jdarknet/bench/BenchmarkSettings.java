package org.jdarknet.bench;

import java.nio.file.Path;
import org.jdarknet.UsageException;

/**
 * How every model of a benchmark run is measured.
 *
 * @param batch       images per run
 * @param runs        timed runs; the report gives their median, minimum and maximum
 * @param warmup      untimed runs before them, so that JIT compilation, caches and lazily loaded
 *                    native code are not timed
 * @param warmupSeconds the least time the untimed runs take: more runs follow the {@code warmup}
 *                    ones until it has passed. The JVM compiles the hot Java code on its own threads
 *                    during the first seconds, taking cores from the backend's threads, so a fixed
 *                    handful of runs times a fast model while the machine is still busy compiling
 * @param seed        seed of the random weights
 * @param layers      also time each layer
 * @param saveWeights directory that receives each model's random weights as {@code MODEL.weights},
 *                    so that other implementations can run the same numbers; null for none
 * @param train       time training steps instead of inferences
 */
public record BenchmarkSettings(int batch, int runs, int warmup, double warmupSeconds, long seed, boolean layers, Path saveWeights,
                                boolean train) {

    public BenchmarkSettings {
        require(batch >= 1, "--batch must be at least 1, found " + batch);
        require(runs >= 1, "--runs must be at least 1, found " + runs);
        require(warmup >= 0, "--warmup must not be negative, found " + warmup);
        require(warmupSeconds >= 0 && Double.isFinite(warmupSeconds),
                "--warmup-time must be a number of seconds, 0 or more, found " + warmupSeconds);
        require(!(train && layers), "--layers times inference only; leave it out with --train");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new UsageException(message);
        }
    }
}
