package org.jdarknet.net;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdarknet.Log;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.Tensor;
import org.jdarknet.calibration.ConvolutionRanges;
import org.jdarknet.layers.ConvolutionalLayer;
import org.jdarknet.layers.Layer;
import org.jdarknet.layers.MaxpoolLayer;
import org.jdarknet.layers.OutputPlacement;

/**
 * Allocates, before an inference network's layers are built, the outputs that convolutions hand
 * on stored narrower than floats: in int8 quantised, in bf16 rounded.
 *
 * <p>Bf16 hand-offs are the outputs {@link RoundedOutputs} finds and {@code routes} has not placed
 * in a route's output (it allocates those buffers itself), each with {@link Backend#allocateRounded}.
 *
 * <p>Int8: which convolutions hand their output to the next one already quantised
 * ({@link Backend#allocateQuantised}): a convolution quantised
 * in int8 whose output nothing reads but the next layer, itself a quantised convolution (no route
 * takes it, no shortcut adds it, it is not placed in a route's output), writes it with the next
 * one's input range, the range calibrated for exactly that tensor. Max-pools may lie between the
 * two, each read only by the next layer: they pool the integers, all with the last convolution's
 * range (a max-pool's largest outputs are its input's, and a value it drops may saturate without
 * changing what it keeps); a max-pool with a window outside the image (which the backend cannot
 * pool on integers) is not one of them. Every other output is placed as {@code routes} places it.
 */
final class Handoffs implements OutputPlacement, AutoCloseable {
    private final ConcatenationPlan routes;
    private final Map<Integer, Tensor> outputs = new HashMap<>();

    private Handoffs(ConcatenationPlan routes) {
        this.routes = routes;
    }

    /** No hand-off: outputs placed as {@code routes} says (training). */
    static Handoffs none(ConcatenationPlan routes) {
        return new Handoffs(routes);
    }

    /**
     * The plan for an inference network on {@code backend} whose layers {@code sketch} shows (built
     * on a counting backend, read only for which layer feeds which), with the hand-off tensors
     * allocated; it closes {@code routes} with its own.
     */
    static Handoffs make(List<Layer> sketch, ConvolutionRanges ranges, ConcatenationPlan routes, Backend backend) {
        Handoffs plan = new Handoffs(routes);
        int rounded = 0;
        try {
            float[] handed = handOffRanges(sketch, ranges, routes);
            for (int index = 0; index < handed.length; index++) {
                if (!Float.isNaN(handed[index])) {
                    plan.outputs.put(index, backend.allocateQuantised(sketch.get(index).outputShape(), handed[index]));
                } else if (routes.rounded(index) && routes.output(index) == null) {
                    plan.outputs.put(index, backend.allocateRounded(sketch.get(index).outputShape()));
                    rounded++;
                }
            }
        } catch (RuntimeException | OutOfMemoryError e) {
            plan.close();
            throw e;
        }
        if (plan.outputs.size() > rounded) {
            Log.detail("int8: " + (plan.outputs.size() - rounded) + " outputs of convolutions and max-pools handed on"
                    + " quantised");
        }
        int handedOn = rounded + routes.roundedInRoutes();
        if (handedOn > 0) {
            Log.detail("bf16: " + handedOn + " outputs planned as bf16 hand-offs (" + routes.roundedInRoutes()
                    + " of them in route concatenations), stored in bf16 where the backend multiplies bf16");
        }
        return plan;
    }

    /**
     * Per layer, the range its output is handed on quantised with, or NaN. Back from the end, an
     * output read only by the next layer takes that layer's input range when it is a quantised
     * convolution, or the range of a max-pool's own output; then, forward, a max-pool whose input
     * is not handed on keeps floats.
     */
    private static float[] handOffRanges(List<Layer> sketch, ConvolutionRanges ranges, ConcatenationPlan routes) {
        Set<Integer> readElsewhere = ShortcutPlan.readElsewhere(sketch);
        float[] handed = new float[sketch.size()];
        Arrays.fill(handed, Float.NaN);
        for (int index = sketch.size() - 2; index >= 0; index--) {
            Layer layer = sketch.get(index);
            Layer next = sketch.get(index + 1);
            boolean writer = layer instanceof MaxpoolLayer maxpool && maxpool.spec().everyWindowInImage()
                    || quantised(layer, ranges, index);
            if (writer && !readElsewhere.contains(index) && routes.output(index) == null) {
                handed[index] = quantised(next, ranges, index + 1) ? ranges.inputRange(index + 1)
                        : next instanceof MaxpoolLayer ? handed[index + 1] : Float.NaN;
            }
        }
        for (int index = 0; index < handed.length; index++) {
            if (sketch.get(index) instanceof MaxpoolLayer && (index == 0 || Float.isNaN(handed[index - 1]))) {
                handed[index] = Float.NaN;
            }
        }
        return handed;
    }

    /** Whether layer {@code index} is a convolution quantised in int8. */
    private static boolean quantised(Layer layer, ConvolutionRanges ranges, int index) {
        return layer instanceof ConvolutionalLayer && !Float.isNaN(ranges.inputRange(index));
    }

    @Override
    public Tensor output(int layer) {
        Tensor quantised = outputs.get(layer);
        return quantised != null ? quantised : routes.output(layer);
    }

    @Override
    public boolean placedIn(int source, int route) {
        return routes.placedIn(source, route);
    }

    @Override
    public void close() {
        List<Tensor> owned = new ArrayList<>(outputs.values());
        outputs.clear();
        owned.forEach(Tensor::close);
        routes.close();
    }
}
