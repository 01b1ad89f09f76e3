package org.jdarknet.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jdarknet.backend.Backend;
import org.jdarknet.layers.Layer;
import org.jdarknet.net.Network;

/**
 * Times every layer of every run. It waits for the backend before reading the clock, so that
 * work a backend queues asynchronously is charged to the layer that issued it, not to a later one.
 */
final class LayerClock implements Network.LayerObserver {
    private final Backend backend;
    private final List<Layer> layers;
    /** Nanoseconds, per layer and run. */
    private final long[][] samples;
    private final int[] taken;

    LayerClock(Network network, int runs) {
        this.backend = network.backend();
        this.layers = network.layers();
        this.samples = new long[layers.size()][runs];
        this.taken = new int[layers.size()];
    }

    @Override
    public void finished(Layer layer, long startNanos) {
        backend.synchronize();
        long elapsed = System.nanoTime() - startNanos;
        int index = layer.index();
        samples[index][taken[index]++] = elapsed;
    }

    /** Each layer's median over the runs and its share of their sum, slowest first. */
    List<LayerTiming> timings() {
        double[] medians = new double[layers.size()];
        double total = 0;
        for (int i = 0; i < medians.length; i++) {
            medians[i] = Timings.median(samples[i]) / 1e6;
            total += medians[i];
        }
        List<LayerTiming> timings = new ArrayList<>();
        for (Layer layer : layers) {
            double ms = medians[layer.index()];
            timings.add(new LayerTiming(layer.index(), layer.kind(), layer.inputShape(), layer.outputShape(),
                    layer.flops(), ms, total > 0 ? ms / total : 0));
        }
        timings.sort(Comparator.comparingDouble(LayerTiming::ms).reversed());
        return timings;
    }
}
