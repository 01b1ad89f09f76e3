package org.jdarknet.train;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How a training run is carried out beyond what the cfg says.
 *
 * @param backup          where checkpoints go (darknet's {@code backup=})
 * @param name            checkpoint base name, darknet's {@code basecfg}: the cfg file name without extension
 * @param checkpointEvery save {@code <name>.backup} every this many batches (darknet: 1000)
 * @param validEvery      measure top-1/top-k on the validation set every this many batches (0: never)
 * @param topK            the k of top-k accuracy
 * @param chart           draw the loss (and accuracy) curve to this PNG
 * @param maxBatches      stop after this many batches instead of the cfg's {@code max_batches} (0: the cfg's)
 * @param loaderThreads   image decoding threads
 * @param seed            the seed of all randomness (data order, augmentation, dropout)
 * @param writeClassList  write the class names and a .data file naming them beside the checkpoints
 *                        (for class folders, which have no .data file of their own)
 */
public record TrainingOptions(Path backup, String name, int checkpointEvery, int validEvery, int topK,
                              Optional<Path> chart, int maxBatches, int loaderThreads, long seed,
                              boolean writeClassList) {

    /** Darknet's {@code basecfg}: {@code cfg/tiny.cfg} becomes {@code tiny}. */
    public static String baseName(Path cfg) {
        String file = cfg.getFileName().toString();
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }
}
