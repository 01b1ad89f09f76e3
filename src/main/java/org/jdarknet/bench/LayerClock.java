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

    /** Each layer's runs and its median's share of the sum of the medians, slowest first. */
    List<LayerTiming> timings() {
        Timings[] runs = new Timings[layers.size()];
        double total = 0;
        for (int i = 0; i < runs.length; i++) {
            runs[i] = Timings.of(samples[i]);
            total += runs[i].medianMs();
        }
        List<LayerTiming> timings = new ArrayList<>();
        for (Layer layer : layers) {
            Timings layerRuns = runs[layer.index()];
            timings.add(new LayerTiming(layer.index(), layer.kind(), layer.inputShape(), layer.outputShape(),
                    layer.flops(), layerRuns, total > 0 ? layerRuns.medianMs() / total : 0));
        }
        timings.sort(Comparator.comparingDouble(LayerTiming::ms).reversed());
        return timings;
    }
}
