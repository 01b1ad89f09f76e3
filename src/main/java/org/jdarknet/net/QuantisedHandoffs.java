package org.jdarknet.net;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdarknet.Log;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.Tensor;
import org.jdarknet.calibration.ConvolutionRanges;
import org.jdarknet.layers.ConvolutionalLayer;
import org.jdarknet.layers.Layer;
import org.jdarknet.layers.OutputPlacement;

/**
 * Decides, before an inference network's layers are built, which convolutions hand their output
 * to the next one already quantised ({@link Backend#allocateQuantised}): a convolution quantised
 * in int8 whose output nothing reads but the next layer, itself a quantised convolution (no route
 * takes it, no shortcut adds it, it is not placed in a route's output), writes it with the next
 * one's input range, the range calibrated for exactly that tensor. Every other output is placed
 * as {@code routes} places it.
 */
final class QuantisedHandoffs implements OutputPlacement, AutoCloseable {
    private final ConcatenationPlan routes;
    private final Map<Integer, Tensor> outputs = new HashMap<>();

    private QuantisedHandoffs(ConcatenationPlan routes) {
        this.routes = routes;
    }

    /** No hand-off: outputs placed as {@code routes} says (training, or no calibration). */
    static QuantisedHandoffs none(ConcatenationPlan routes) {
        return new QuantisedHandoffs(routes);
    }

    /**
     * The plan for an inference network on {@code backend} whose layers {@code sketch} shows (built
     * on a counting backend, read only for which layer feeds which), with the hand-off tensors
     * allocated; it closes {@code routes} with its own.
     */
    static QuantisedHandoffs make(List<Layer> sketch, ConvolutionRanges ranges, ConcatenationPlan routes,
                                  Backend backend) {
        QuantisedHandoffs plan = new QuantisedHandoffs(routes);
        try {
            Map<Integer, Integer> reads = ShortcutPlan.otherReads(sketch);
            for (int index = 0; index + 1 < sketch.size(); index++) {
                if (handsOff(sketch, ranges, index) && !reads.containsKey(index) && routes.output(index) == null) {
                    plan.outputs.put(index, backend.allocateQuantised(sketch.get(index).outputShape(),
                            ranges.inputRange(index + 1)));
                }
            }
        } catch (RuntimeException | OutOfMemoryError e) {
            plan.close();
            throw e;
        }
        if (!plan.outputs.isEmpty()) {
            Log.detail("int8: " + plan.outputs.size() + " convolutions hand their output quantised to the next");
        }
        return plan;
    }

    /** Whether layer {@code index} and the next are both convolutions quantised in int8. */
    private static boolean handsOff(List<Layer> sketch, ConvolutionRanges ranges, int index) {
        return sketch.get(index) instanceof ConvolutionalLayer && sketch.get(index + 1) instanceof ConvolutionalLayer
                && !Float.isNaN(ranges.inputRange(index)) && !Float.isNaN(ranges.inputRange(index + 1));
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
