package org.jdarknet.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.jdarknet.UsageException;
import org.jdarknet.train.TrainingOptions;
import picocli.CommandLine.Option;

/** Options both training commands take, on top of darknet's. */
final class TrainingCommandOptions {
    @Option(names = {"-clear", "--clear"}, description = "Restart the image count (and so the learning-rate schedule) from 0.")
    boolean clear;

    @Option(names = "--valid-every", paramLabel = "N", defaultValue = "0",
            description = "Measure top-1/top-k on the validation set every N batches (default: never).")
    int validEvery;

    @Option(names = "--top", paramLabel = "K", defaultValue = "5", description = "The k of top-k accuracy (default: 5).")
    int topK;

    @Option(names = "--chart", paramLabel = "FILE.png", description = "Draw the loss (and accuracy) curve to this PNG as training goes.")
    Path chart;

    @Option(names = "--checkpoint-every", paramLabel = "N", defaultValue = "1000",
            description = "Save <cfg>.backup every N batches (default: 1000, as darknet).")
    int checkpointEvery;

    @Option(names = "--max-batches", paramLabel = "N", defaultValue = "0",
            description = "Stop after N batches instead of the cfg's max_batches.")
    int maxBatches;

    @Option(names = "--loader-threads", paramLabel = "N", defaultValue = "0",
            description = "Image decoding threads (default: one per core but one).")
    int loaderThreads;

    @Option(names = "--seed", paramLabel = "N", description = "Seed all randomness (data order, augmentation, dropout) for a repeatable run.")
    Long seed;

    TrainingOptions toOptions(Path backup, String name, boolean writeClassList) {
        Classifiers.requirePositive(topK, "--top");
        Classifiers.requirePositive(checkpointEvery, "--checkpoint-every");
        if (validEvery < 0 || maxBatches < 0 || loaderThreads < 0) {
            throw new UsageException("--valid-every, --max-batches and --loader-threads must not be negative");
        }
        int threads = loaderThreads > 0 ? loaderThreads : Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
        long chosenSeed = seed != null ? seed : ThreadLocalRandom.current().nextLong();
        return new TrainingOptions(backup, name, checkpointEvery, validEvery, topK, Optional.ofNullable(chart),
                maxBatches, threads, chosenSeed, writeClassList);
    }
}
