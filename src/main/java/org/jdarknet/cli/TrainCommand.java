package org.jdarknet.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jdarknet.Log;
import org.jdarknet.data.Dataset;
import org.jdarknet.train.TrainingOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jdarknet train CFG --data DIR}: training on ImageNet-style class folders. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Trains a classifier on a folder with one sub-folder of images per class (ImageNet's layout).",
                "The class list (sorted folder names) and a .data file are written beside the checkpoints."})
final class TrainCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CFG", description = "Network description (.cfg); its last layer's outputs must equal the number of classes.")
    Path cfg;

    @Option(names = "--data", paramLabel = "DIR", required = true, description = "Training images: DIR/<class>/<images>.")
    Path data;

    @Option(names = "--valid", paramLabel = "DIR", description = "Validation images, laid out the same way.")
    Path valid;

    @Option(names = "--weights", paramLabel = "FILE", description = "Start from these weights (a partial file works too).")
    Path weights;

    @Option(names = "--backup", paramLabel = "DIR", defaultValue = "backup", description = "Where checkpoints go (default: backup/).")
    Path backup;

    @Mixin
    TrainingCommandOptions trainingOptions;

    @Mixin
    BackendOptions backendOptions;

    @Mixin
    ReplicaOptions replicaOptions;

    @Override
    public Integer call() {
        Dataset training = Dataset.fromFolders(data, Log::warn);
        Optional<Dataset> validation = Optional.ofNullable(valid)
                .map(dir -> Dataset.fromFolders(dir, training.classNames(), Log::warn));
        TrainingOptions options = trainingOptions.toOptions(backup, TrainingOptions.baseName(cfg), true);
        try (ReplicaBackends backends = replicaOptions.create(backendOptions)) {
            return TrainingRun.train(cfg, Optional.ofNullable(weights), trainingOptions.clear, training, validation,
                    options, backends);
        }
    }
}
