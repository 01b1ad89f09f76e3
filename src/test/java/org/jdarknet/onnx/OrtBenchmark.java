package org.jdarknet.onnx;

import ai.onnxruntime.TensorInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jdarknet.bench.Timings;
import org.jdarknet.weights.RandomWeights;

/**
 * ONNX Runtime as a peer in {@code scripts/bench-peers.sh}: times ORT's CPU execution provider, all
 * graph optimisations on, on a model {@code jdarknet export} wrote (fp32, or the int8 QDQ model),
 * fed darknet's test pattern at the model's input size. Prints the median, fastest and slowest
 * forward pass in milliseconds, as the other peers' harnesses do, then the 75th over the 25th
 * percentile, computed as {@code jdarknet benchmark} computes its own, so that both runtimes'
 * steadiness can be set side by side on the same machine.
 *
 * <p>{@code java -cp TEST_CLASSPATH org.jdarknet.onnx.OrtBenchmark MODEL.onnx RUNS WARMUP THREADS}
 */
public final class OrtBenchmark {

    private OrtBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: OrtBenchmark MODEL.onnx RUNS WARMUP THREADS");
            System.exit(2);
        }
        int runs = Integer.parseInt(args[1]);
        int warmup = Integer.parseInt(args[2]);
        try (Ort ort = Ort.load(Files.readAllBytes(Path.of(args[0])), Integer.parseInt(args[3]))) {
            long[] shape = ((TensorInfo) ort.session().getInputInfo().get(ModelMetadata.INPUT).getInfo()).getShape();
            float[] input = RandomWeights.testPattern((int) shape[3], (int) shape[2], (int) shape[1]);
            for (int i = 0; i < warmup; i++) {
                ort.run(input, shape);
            }
            long[] nanos = new long[runs];
            for (int i = 0; i < runs; i++) {
                long start = System.nanoTime();
                ort.run(input, shape);
                nanos[i] = System.nanoTime() - start;
            }
            Timings timings = Timings.of(nanos);
            System.out.printf("%.2f %.2f %.2f %.2f%n", timings.medianMs(), timings.minMs(), timings.maxMs(),
                    timings.spread());
        }
    }
}
