package org.jdarknet.onnx;

import java.util.Arrays;
import java.util.List;
import org.jdarknet.backend.Shape;
import org.jdarknet.layers.ShortcutLayer;

/**
 * {@code [shortcut]}'s sum {@code alpha*x + beta*from} before its activation. When {@code from}
 * has another shape, darknet adds only the common channels, at every {@code stride}-th cell of
 * the larger one ({@code stride = w_larger / w_smaller}) and leaves the rest of {@code x}
 * untouched: here the sampled part of {@code from} is sliced out with steps, spread out with
 * zeros to the cells it lands on, padded with zeros to the output's shape and added.
 */
final class ShortcutNodes {
    private final GraphBuilder g;

    ShortcutNodes(GraphBuilder graph) {
        this.g = graph;
    }

    String sum(ShortcutLayer layer, String x, String from) {
        Shape a = layer.from().outputShape();
        Shape o = layer.outputShape();
        boolean sameShape = a.c() == o.c() && a.h() == o.h() && a.w() == o.w();
        String addend = sameShape ? from : placed(from, a, o);
        if (layer.beta() != 1) {
            addend = g.node("Mul", List.of(g.scalar(layer.beta()), addend));
        }
        String base = x;
        if (layer.alpha() != 1) {
            String alpha = sameShape ? g.scalar(layer.alpha()) : g.floats("alpha", alphaMask(layer.alpha(), a, o), o.c(), o.h(), o.w());
            base = g.node("Mul", List.of(alpha, x));
        }
        return g.node("Add", List.of(base, addend));
    }

    /** {@code from}'s values at the output cells darknet adds them to, zero elsewhere, in the output's shape. */
    private String placed(String from, Shape a, Shape o) {
        Region r = new Region(a, o);
        String sampled = g.node("Slice", List.of(from, g.ints("starts", 0, 0, 0),
                g.ints("ends", r.channels, (r.rows - 1L) * r.stride + 1, (r.columns - 1L) * r.stride + 1),
                g.ints("axes", 1, 2, 3), g.ints("steps", 1, r.stride, r.stride)));
        if (r.sample > 1) {
            String cells = g.node("Reshape", List.of(sampled, g.ints("cells", 0, r.channels, r.rows, 1, r.columns, 1)));
            String spread = g.node("Pad", List.of(cells, g.ints("pads", 0, 0, 0, 0, 0, 0, 0, 0, 0, r.sample - 1, 0, r.sample - 1)));
            sampled = g.node("Reshape", List.of(spread, g.ints("shape", 0, r.channels, (long) r.rows * r.sample,
                    (long) r.columns * r.sample)));
        }
        long padChannels = o.c() - r.channels;
        long padRows = o.h() - (long) r.rows * r.sample;
        long padColumns = o.w() - (long) r.columns * r.sample;
        if (padChannels == 0 && padRows == 0 && padColumns == 0) {
            return sampled;
        }
        return g.node("Pad", List.of(sampled, g.ints("pads", 0, 0, 0, 0, 0, padChannels, padRows, padColumns)));
    }

    /** {@code alpha} at the cells darknet sums into, 1 (the value kept as it was) elsewhere. */
    private static float[] alphaMask(float alpha, Shape a, Shape o) {
        Region r = new Region(a, o);
        float[] mask = new float[o.itemSize()];
        Arrays.fill(mask, 1);
        for (int k = 0; k < r.channels; k++) {
            for (int j = 0; j < r.rows; j++) {
                for (int i = 0; i < r.columns; i++) {
                    mask[(k * o.h() + j * r.sample) * o.w() + i * r.sample] = alpha;
                }
            }
        }
        return mask;
    }

    /**
     * Darknet's common region: {@code channels × rows × columns} cells, read every {@code stride}
     * cells of {@code from} and written every {@code sample} cells of the output.
     */
    private record Region(int channels, int rows, int columns, int stride, int sample) {
        Region(Shape a, Shape o) {
            this(Math.min(a.c(), o.c()), Math.min(a.h(), o.h()), Math.min(a.w(), o.w()),
                    Math.max(1, a.w() / o.w()), Math.max(1, o.w() / a.w()));
        }
    }
}
