package org.jdarknet.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jdarknet.Log;
import org.jdarknet.backend.reference.ReferenceBackend;
import org.jdarknet.net.Network;
import org.jdarknet.weights.WeightsReader;
import org.jdarknet.weights.WeightsWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code jdarknet partial CFG WEIGHTS OUT N}: the first N layers' weights, e.g. to start training a
 * new classifier from a pretrained backbone. Like darknet, {@code seen} is reset to 0.
 */
@Command(name = "partial", mixinStandardHelpOptions = true,
        description = "Writes the weights of the first N layers to OUT, as 'darknet partial' does.")
final class PartialCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CFG")
    Path cfg;

    @Parameters(index = "1", paramLabel = "WEIGHTS")
    Path weights;

    @Parameters(index = "2", paramLabel = "OUT")
    Path out;

    @Parameters(index = "3", paramLabel = "N", description = "Number of layers to keep (layers 0..N-1).")
    int layers;

    @Override
    public Integer call() {
        Classifiers.requirePositive(layers, "N");
        try (Network network = Network.build(cfg, new ReferenceBackend(), 1)) {
            WeightsReader.load(network, weights, true);
            WeightsWriter.save(network, out, layers, 0);
            Log.info("Saved the weights of layers 0.." + (Math.min(layers, network.layers().size()) - 1) + " to " + out);
        }
        return 0;
    }
}
