package org.jdarknet.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jdarknet.Log;
import org.jdarknet.backend.reference.ReferenceBackend;
import org.jdarknet.net.Network;
import org.jdarknet.weights.WeightsException;
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
            int kept = Math.min(layers, network.layers().size());
            WeightsReader.Report report = WeightsReader.load(network, weights, true);
            if (report.coveredLayers() < kept) {
                // Darknet would write its random initial values for the missing layers.
                throw new WeightsException(weights, "a partial file that ends before layer " + report.coveredLayers()
                        + ", so it cannot give the first " + layers + " layers");
            }
            WeightsWriter.save(network, out, kept, 0);
            Log.info("Saved the weights of layers 0.." + (kept - 1) + " to " + out);
        }
        return 0;
    }
}
