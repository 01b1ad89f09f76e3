package org.jdarknet.onnx;

import java.nio.file.Path;
import java.util.Arrays;
import org.jdarknet.backend.reference.ReferenceBackend;
import org.jdarknet.net.NetConfig;
import org.jdarknet.net.Network;
import org.jdarknet.weights.RandomWeights;
import org.jdarknet.weights.WeightsReader;

/**
 * ONNX Runtime as a peer in {@code scripts/bench-peers.sh}: exports CFG with WEIGHTS (batch 1,
 * batch norm folded) and times ORT's CPU execution provider on it, all graph optimisations on.
 * Prints the median, fastest and slowest forward pass in milliseconds, as the other peers' harnesses do.
 *
 * <p>{@code java -cp TEST_CLASSPATH org.jdarknet.onnx.OrtBenchmark CFG WEIGHTS RUNS WARMUP THREADS}
 */
public final class OrtBenchmark {

    private OrtBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: OrtBenchmark CFG WEIGHTS RUNS WARMUP THREADS");
            System.exit(2);
        }
        int runs = Integer.parseInt(args[2]);
        int warmup = Integer.parseInt(args[3]);
        byte[] model;
        float[] input;
        long[] shape;
        try (Network network = Network.build(Path.of(args[0]), new ReferenceBackend(), 1)) {
            WeightsReader.load(network, Path.of(args[1]));
            model = OnnxExporter.export(network, ExportOptions.defaults()).toByteArray();
            NetConfig config = network.config();
            input = RandomWeights.testPattern(config.width(), config.height(), config.channels());
            shape = new long[] {1, config.channels(), config.height(), config.width()};
        }
        try (Ort ort = Ort.load(model, Integer.parseInt(args[4]))) {
            for (int i = 0; i < warmup; i++) {
                ort.run(input, shape);
            }
            double[] milliseconds = new double[runs];
            for (int i = 0; i < runs; i++) {
                long start = System.nanoTime();
                ort.run(input, shape);
                milliseconds[i] = (System.nanoTime() - start) / 1e6;
            }
            Arrays.sort(milliseconds);
            double median = runs % 2 == 1 ? milliseconds[runs / 2] : (milliseconds[runs / 2 - 1] + milliseconds[runs / 2]) / 2;
            System.out.printf("%.2f %.2f %.2f%n", median, milliseconds[0], milliseconds[runs - 1]);
        }
    }
}
