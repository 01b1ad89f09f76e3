package org.jdarknet.bench;

import java.util.List;
import org.jdarknet.backend.Shape;

/**
 * What a benchmark measured for one model: one row of the report.
 *
 * @param model              the cfg file's name without {@code .cfg}
 * @param workload           what one run does: {@code inference} (see {@link Workload})
 * @param input              the network's input, batch included
 * @param flopsPerImage      floating-point operations per image, as darknet counts them
 * @param parameters         floats in the model's weights file
 * @param warmup             untimed runs before the timed ones (at least {@code --warmup}; more when they took less than {@code --warmup-time})
 * @param backend            the backend's {@code --backend} name
 * @param backendDescription the backend's own description
 * @param threads            worker threads asked for ({@code --threads}, 0 meaning one per core, resolved)
 * @param layers             per-layer times, slowest first; empty unless asked for
 */
public record BenchmarkResult(String model, String workload, Shape input, long flopsPerImage, long parameters,
                              Timings timings, int warmup, String backend, String backendDescription, int threads,
                              List<LayerTiming> layers) {

    public BenchmarkResult {
        layers = List.copyOf(layers);
    }

    public int batch() {
        return input.n();
    }

    /** Billions of operations per image, darknet's "BFLOPs". */
    public double bflops() {
        return flopsPerImage / 1e9;
    }

    /** Throughput at the median run time. */
    public double imagesPerSecond() {
        return batch() * 1000.0 / timings.medianMs();
    }

    /** Achieved compute rate at the median run time: operations per run over its duration. */
    public double gflopsPerSecond() {
        return flopsPerImage * (double) batch() / (timings.medianMs() * 1e6);
    }
}
