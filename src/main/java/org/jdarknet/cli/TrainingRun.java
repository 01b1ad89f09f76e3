package org.jdarknet.cli;

import java.nio.file.Path;
import java.util.Optional;
import org.jdarknet.Log;
import org.jdarknet.cfg.CfgException;
import org.jdarknet.cfg.CfgParser;
import org.jdarknet.data.Batch;
import org.jdarknet.data.Dataset;
import org.jdarknet.net.Network;
import org.jdarknet.train.Initializer;
import org.jdarknet.train.Trainer;
import org.jdarknet.train.TrainingOptions;
import org.jdarknet.train.parallel.Replicas;
import org.jdarknet.weights.WeightsReader;

/** What both training commands do once they know their datasets: build, load, train, report. */
final class TrainingRun {
    /** Exit code of a run stopped by Ctrl-C, as shells report SIGINT. */
    static final int INTERRUPTED = 130;

    private TrainingRun() {
    }

    static int train(Path cfg, Optional<Path> weights, boolean clear, Dataset training, Optional<Dataset> validation,
                     TrainingOptions options, ReplicaBackends backends) {
        Network probe = Network.build(cfg, backends.backends().get(0), 1);
        requireColourInput(cfg, probe);
        requireOutputsMatchClasses(cfg, probe, training);
        probe.close();
        try (Replicas replicas = Replicas.build(cfg, probe.config(), backends.backends(), backends.scheme(),
                backends.allReduce(), network -> {
                    Initializer.initialize(network, options.seed());
                    weights.ifPresent(file -> loadStartingWeights(network, file, clear));
                })) {
            Trainer.Outcome outcome = new Trainer(replicas, training, validation, options, System.out).run();
            return switch (outcome) {
                case FINISHED -> 0;
                case INTERRUPTED -> INTERRUPTED;
                case DIVERGED -> 1;
            };
        }
    }

    /** Darknet's load_network(cfg, weights, clear): all the layers the file has; -clear restarts the count. */
    private static void loadStartingWeights(Network network, Path file, boolean clear) {
        WeightsReader.Report report = WeightsReader.load(network, file, true);
        Log.info("Loaded " + report.layersLoaded() + " of " + report.layersWithWeights() + " layers with weights from "
                + file + (report.partial() ? " (a partial file: the rest start fresh)" : "") + ", " + network.seen()
                + " images seen");
        if (clear) {
            network.setSeen(0);
        }
    }

    /**
     * The loader makes colour images, as darknet's training does (darknet then feeds them
     * misaligned to a network of other channels=).
     */
    private static void requireColourInput(Path cfg, Network network) {
        int channels = network.config().channels();
        if (channels != Batch.CHANNELS) {
            throw CfgParser.parseSections(cfg).get(0).error("channels", "training takes colour images ("
                    + Batch.CHANNELS + " channels); this network takes " + channels);
        }
    }

    private static void requireOutputsMatchClasses(Path cfg, Network network, Dataset training) {
        int outputs = network.outputLayer().outputShape().itemSize();
        if (outputs != training.classCount()) {
            throw new CfgException(cfg, "the network has " + outputs + " outputs but " + training.source()
                    + " has " + training.classCount() + " classes; set filters= (or output=) of the last"
                    + " convolutional (or connected) layer to " + training.classCount());
        }
    }
}
