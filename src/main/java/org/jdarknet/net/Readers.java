package org.jdarknet.net;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdarknet.layers.Layer;
import org.jdarknet.layers.RouteLayer;
import org.jdarknet.layers.ShortcutLayer;

/**
 * Which layers of an inference network read each layer's output, from darknet's rules of which
 * layer feeds which: what the planners of narrower hand-offs ({@link RoundedOutputs}, {@link Handoffs})
 * decide by.
 */
final class Readers {

    private Readers() {
    }

    /**
     * For each layer, the layers that read its output's values: the next layer unless it is a
     * route, the routes that copy it (not the one it is placed in, {@code placed}: source to route,
     * as {@link ConcatenationPlan} places them or would), the shortcuts that add it.
     */
    static List<List<Integer>> of(List<Layer> sketch, Map<Integer, Integer> placed) {
        List<List<Integer>> readers = new ArrayList<>();
        sketch.forEach(layer -> readers.add(new ArrayList<>()));
        for (Layer layer : sketch) {
            int index = layer.index();
            if (layer instanceof RouteLayer route) {
                route.sources().stream().filter(source -> placed.getOrDefault(source.index(), -1) != index)
                        .forEach(source -> readers.get(source.index()).add(index));
                continue;
            }
            if (index > 0) {
                readers.get(index - 1).add(index);
            }
            if (layer instanceof ShortcutLayer shortcut) {
                readers.get(shortcut.from().index()).add(index);
            }
        }
        return readers;
    }
}
