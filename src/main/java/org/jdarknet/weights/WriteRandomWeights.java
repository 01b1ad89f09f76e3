package org.jdarknet.weights;

import java.nio.file.Path;
import org.jdarknet.backend.reference.ReferenceBackend;
import org.jdarknet.cfg.CfgException;
import org.jdarknet.net.NetConfig;
import org.jdarknet.net.Network;

/**
 * {@code java -cp target/jdarknet.jar org.jdarknet.weights.WriteRandomWeights CFG OUT [SEED]}:
 * seeded random weights for a cfg, made as the conformance tests make theirs. {@code scripts/demo.sh}
 * uses it when no pretrained weights can be had. Deliberately not a jdarknet command: the classes
 * such weights predict mean nothing.
 */
public final class WriteRandomWeights {
    /** Spread of the logits the head is calibrated to: confident but not saturated predictions. */
    private static final double LOGIT_STD = 2.5;
    private static final long DEFAULT_SEED = 2024;

    private WriteRandomWeights() {
    }

    public static void main(String[] args) {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: WriteRandomWeights CFG OUT [SEED]");
            System.exit(2);
        }
        try {
            long seed = args.length == 3 ? Long.parseLong(args[2]) : DEFAULT_SEED;
            write(Path.of(args[0]), Path.of(args[1]), seed);
        } catch (CfgException | WeightsException | NumberFormatException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
    }

    static void write(Path cfg, Path out, long seed) {
        try (Network network = Network.build(cfg, new ReferenceBackend(), 1)) {
            RandomWeights.fill(network, seed);
            NetConfig config = network.config();
            RandomWeights.calibrateHead(network,
                    RandomWeights.testPattern(config.width(), config.height(), config.channels()), LOGIT_STD);
            WeightsWriter.save(network, out);
        }
    }
}
