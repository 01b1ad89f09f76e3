package org.jdarknet.net;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import org.jdarknet.Log;
import org.jdarknet.layers.ConvolutionalLayer;
import org.jdarknet.layers.Layer;
import org.jdarknet.layers.OutputPlacement;
import org.jdarknet.layers.RouteLayer;
import org.jdarknet.layers.ShortcutFusion;
import org.jdarknet.layers.ShortcutLayer;

/**
 * Decides, before an inference network's layers are built, which {@code [shortcut]} layers the
 * convolution right before them computes, so that a residual block costs no separate pass over
 * memory: the convolution's epilogue ends with the shortcut's sum and activation (darknet's
 * sampled sum too, where {@code from} has another shape). A shortcut fuses when the convolution's
 * output is read by nothing but the shortcut: no route takes it,
 * no shortcut adds it (this one included), and neither output is placed in a route's
 * ({@link ConcatenationPlan}). A convolution is never the network's output, as the shortcut comes
 * after it. Training never fuses: backward needs the convolution's own output.
 */
final class ShortcutPlan implements ShortcutFusion {
    private final Map<Integer, Fused> fused = new HashMap<>();

    private ShortcutPlan() {
    }

    static ShortcutPlan none() {
        return new ShortcutPlan();
    }

    /**
     * The plan for an inference network whose layers {@code sketch} shows (built on a counting
     * backend, read only for shapes and which layer feeds which), given where {@code placement}
     * puts outputs.
     */
    static ShortcutPlan make(List<Layer> sketch, OutputPlacement placement) {
        ShortcutPlan plan = new ShortcutPlan();
        for (int index : fusing(sketch, layer -> placement.output(layer) != null)) {
            ShortcutLayer shortcut = (ShortcutLayer) sketch.get(index);
            plan.fused.put(index - 1, new Fused(shortcut.from().index(), shortcut.alpha(), shortcut.beta(),
                    shortcut.activation()));
        }
        long shortcuts = sketch.stream().filter(ShortcutLayer.class::isInstance).count();
        if (shortcuts > 0) {
            Log.detail("shortcuts: " + plan.fused.size() + " of " + shortcuts
                    + " are computed by the convolution before them");
        }
        return plan;
    }

    /**
     * The shortcuts that fuse into the convolution before them, given which outputs are placed in
     * a route's ({@code placed}). Asked with the outputs that may be placed (before the backend has
     * accepted their views), it names only shortcuts that the network's own plan fuses.
     */
    static Set<Integer> fusing(List<Layer> sketch, IntPredicate placed) {
        Set<Integer> readElsewhere = readElsewhere(sketch);
        Set<Integer> fusing = new TreeSet<>();
        for (int index = 1; index < sketch.size(); index++) {
            int previous = index - 1;
            if (sketch.get(index) instanceof ShortcutLayer && sketch.get(previous) instanceof ConvolutionalLayer
                    && !readElsewhere.contains(previous) && !placed.test(previous) && !placed.test(index)) {
                fusing.add(index);
            }
        }
        return fusing;
    }

    /** The layers whose output is read other than as the next layer's input: by routes and shortcuts. */
    private static Set<Integer> readElsewhere(List<Layer> sketch) {
        Set<Integer> read = new HashSet<>();
        for (Layer layer : sketch) {
            if (layer instanceof RouteLayer route) {
                route.sources().forEach(source -> read.add(source.index()));
            } else if (layer instanceof ShortcutLayer shortcut) {
                read.add(shortcut.from().index());
            }
        }
        return read;
    }

    @Override
    public Fused into(int layer) {
        return fused.get(layer);
    }
}
