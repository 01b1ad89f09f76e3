package org.jdarknet.train;

import java.nio.file.Path;
import org.jdarknet.Log;
import org.jdarknet.net.Network;
import org.jdarknet.weights.WeightsWriter;

/**
 * Darknet's checkpoint files in the backup directory: {@code <name>_<epoch>.weights} after each
 * epoch, {@code <name>.backup} every so many batches (and when training is interrupted),
 * {@code <name>.weights} at the end. Every file is written atomically, so an interrupted write
 * never leaves a broken checkpoint.
 */
final class Checkpoints {
    private final Network network;
    private final Path directory;
    private final String name;

    Checkpoints(Network network, Path directory, String name) {
        this.network = network;
        this.directory = directory;
        this.name = name;
    }

    Path epoch(long epoch) {
        return save(directory.resolve(name + "_" + epoch + ".weights"));
    }

    Path backup() {
        return save(directory.resolve(name + ".backup"));
    }

    Path last() {
        return save(directory.resolve(name + ".weights"));
    }

    private Path save(Path file) {
        WeightsWriter.save(network, file);
        Log.info("Saving weights to " + file);
        return file;
    }
}
