package org.jdarknet.net;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdarknet.Log;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.Precision;
import org.jdarknet.backend.Shape;
import org.jdarknet.backend.Tensor;
import org.jdarknet.calibration.ConvolutionRanges;
import org.jdarknet.layers.ConvolutionalLayer;
import org.jdarknet.layers.Layer;
import org.jdarknet.layers.MaxpoolLayer;
import org.jdarknet.layers.OutputPlacement;
import org.jdarknet.layers.RouteLayer;
import org.jdarknet.layers.ShortcutFusion;
import org.jdarknet.layers.ShortcutLayer;

/**
 * Allocates, before an inference network's layers are built, the outputs that convolutions,
 * max-pools and routes hand on stored narrower than floats: in int8 quantised, in bf16 rounded.
 *
 * <p>Bf16 hand-offs are the outputs {@link RoundedOutputs} finds and {@code routes} has not placed
 * in a route's output (it allocates those buffers itself), each with {@link Backend#allocateRounded}
 * (a fused shortcut's once, for its convolution).
 *
 * <p>Int8: which outputs are handed on quantised ({@link Backend#allocateQuantised}), each with
 * the range its readers quantise it with, so that none of them quantises it again: an output
 * written by a convolution quantised in int8, a max-pool whose every window holds a cell of the
 * image, or a route, and read only by
 * <ul>
 *   <li>quantised convolutions (the next layer), all with one input range, the range calibrated
 *       for exactly that tensor;</li>
 *   <li>shortcuts fused into a quantised convolution ({@link ShortcutFusion}), which adds it in its
 *       epilogue, whatever its range: the resnets' and darknet53's residual streams stay in bytes
 *       from block to block;</li>
 *   <li>max-pools whose output is handed on: they pool the integers, with the range of their own
 *       output (a max-pool's largest outputs are its input's, and a value it drops may saturate
 *       without changing what it keeps);</li>
 *   <li>routes whose output is handed on: they copy the integers into it, stepped again to its
 *       range where it differs (a DenseNet's concatenations, so that no 1x1 convolution quantises
 *       its whole input again and the copies move bytes, not floats).</li>
 * </ul>
 * A convolution with a shortcut fused into it writes the shortcut's output, and is planned by the
 * shortcut's readers. An output only routes read takes the first route's range, one only
 * shortcuts read keeps floats (no convolution calibrated its range). A max-pool reading floats (the
 * network's input among them) keeps floats, as do the network's output and the outputs placed in a
 * route's output. Every other output is placed as {@code routes} places it. Only networks on a
 * backend computing in int8 are planned so (a calibration given to another is unused).
 *
 * <p>Stepping integers again moves a value by at most half a step of the route's range besides
 * the half step it was rounded by before (routes' ranges grow along a DenseNet block, as each
 * holds the one before): a deliberate deviation from quantising the float concatenation, which
 * would have cost copying and quantising four times the bytes.
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
    static Handoffs make(List<Layer> sketch, ConvolutionRanges ranges, ConcatenationPlan routes, ShortcutFusion fusion,
                         Backend backend) {
        Handoffs plan = new Handoffs(routes);
        int rounded = 0;
        try {
            float[] handed = handOffRanges(sketch, backend.precision() == Precision.INT8 ? ranges
                    : ConvolutionRanges.NONE, routes, fusion);
            for (int index = 0; index < handed.length; index++) {
                if (!Float.isNaN(handed[index])) {
                    plan.outputs.put(index, backend.allocateQuantised(sketch.get(index).outputShape(), handed[index]));
                } else if (routes.rounded(index) && routes.output(index) == null && writer(index, fusion) == index) {
                    plan.outputs.put(index, backend.allocateRounded(sketch.get(index).outputShape()));
                    rounded++;
                }
            }
        } catch (RuntimeException | OutOfMemoryError e) {
            plan.close();
            throw e;
        }
        if (plan.outputs.size() > rounded) {
            Log.detail("int8: " + (plan.outputs.size() - rounded) + " outputs of convolutions, max-pools and routes"
                    + " handed on quantised");
        }
        int handedOn = rounded + routes.roundedInRoutes();
        if (handedOn > 0) {
            Log.detail("bf16: " + handedOn + " outputs planned as bf16 hand-offs (" + routes.roundedInRoutes()
                    + " of them in route concatenations), stored in bf16 where the backend multiplies bf16");
        }
        return plan;
    }

    /**
     * The network's input for an inference network on {@code backend} whose layers {@code sketch}
     * shows: a quantised tensor ({@link Backend#allocateQuantised}) with the first layer's input
     * range when that layer, the input's only reader, is a convolution quantised in int8, so that
     * the upload quantises the image on its way in; else an ordinary one.
     */
    static Tensor input(List<Layer> sketch, ConvolutionRanges ranges, Shape shape, Backend backend) {
        return backend.precision() == Precision.INT8 && quantised(sketch.get(0), ranges, 0)
                ? backend.allocateQuantised(shape, ranges.inputRange(0)) : backend.allocate(shape);
    }

    /**
     * Per layer, the range its output is handed on quantised with, or NaN. Back from the end (a
     * reader's own hand-off is known before its writer's), then, forward, a max-pool whose input
     * is not handed on keeps floats.
     */
    private static float[] handOffRanges(List<Layer> sketch, ConvolutionRanges ranges, ConcatenationPlan routes,
                                         ShortcutFusion fusion) {
        List<List<Integer>> readers = Readers.of(sketch, routes.placements());
        float[] handed = new float[sketch.size()];
        Arrays.fill(handed, Float.NaN);
        for (int index = sketch.size() - 2; index >= 0; index--) {
            boolean writesShortcut = fusion.into(index) != null;
            if (writesQuantised(sketch.get(index), ranges, index) && routes.output(index) == null) {
                handed[index] = readersRange(sketch, readers.get(writesShortcut ? index + 1 : index), ranges, fusion,
                        handed);
            }
        }
        for (int index = 0; index < handed.length; index++) {
            if (sketch.get(index) instanceof MaxpoolLayer
                    && (index == 0 || Float.isNaN(handed[writer(index - 1, fusion)]))) {
                handed[index] = Float.NaN;
            }
        }
        return handed;
    }

    /** The layer that writes layer {@code index}'s output: the convolution before a fused shortcut, else itself. */
    private static int writer(int index, ShortcutFusion fusion) {
        return index > 0 && fusion.into(index - 1) != null ? index - 1 : index;
    }

    /** Whether layer {@code index} can write a quantised output. */
    private static boolean writesQuantised(Layer layer, ConvolutionRanges ranges, int index) {
        return layer instanceof MaxpoolLayer maxpool && maxpool.spec().everyWindowInImage()
                || layer instanceof RouteLayer || quantised(layer, ranges, index);
    }

    /**
     * The range that every one of {@code readers} takes a quantised tensor with (a route any,
     * stepping it again, but only into a quantised output of its own; a shortcut fused into a
     * quantised convolution any, adding its steps), or NaN: none, a reader that takes floats only,
     * or two ranges.
     */
    private static float readersRange(List<Layer> sketch, List<Integer> readers, ConvolutionRanges ranges,
                                      ShortcutFusion fusion, float[] handed) {
        float required = Float.NaN;
        float routed = Float.NaN;
        for (int reader : readers) {
            Layer layer = sketch.get(reader);
            if (layer instanceof ShortcutLayer) {
                if (fusion.into(reader - 1) == null || !quantised(sketch.get(reader - 1), ranges, reader - 1)) {
                    return Float.NaN;
                }
                continue;
            }
            float wanted = quantised(layer, ranges, reader) ? ranges.inputRange(reader)
                    : layer instanceof MaxpoolLayer || layer instanceof RouteLayer ? handed[reader] : Float.NaN;
            if (Float.isNaN(wanted)) {
                return Float.NaN;
            }
            if (layer instanceof RouteLayer) {
                routed = Float.isNaN(routed) ? wanted : routed;
            } else if (Float.isNaN(required) || required == wanted) {
                required = wanted;
            } else {
                return Float.NaN;
            }
        }
        return Float.isNaN(required) ? routed : required;
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
