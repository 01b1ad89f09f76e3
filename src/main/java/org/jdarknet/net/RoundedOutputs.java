package org.jdarknet.net;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdarknet.backend.Backend;
import org.jdarknet.layers.ConvolutionalLayer;
import org.jdarknet.layers.Layer;
import org.jdarknet.layers.MaxpoolLayer;
import org.jdarknet.layers.RouteLayer;

/**
 * Decides which outputs of an inference network are bf16 hand-offs ({@link Backend#allocateRounded}):
 * those whose every reader is a convolution, which rounds its input to bf16 anyway where the
 * backend multiplies bf16, a shortcut fused into a convolution ({@link ShortcutPlan#fusing}), which
 * adds it, or a max-pool writing another hand-off (the maximum of rounded values is the rounded
 * maximum), and whose writer is a convolution (with a fused shortcut after it or not), a max-pool
 * reading a hand-off (with every window holding a cell of the image), or a route whose sources all
 * lie in its output. Outputs that share a buffer (a route's and those placed in it,
 * {@link ConcatenationPlan}; a fused shortcut's and its convolution's) are one hand-off or none.
 * The network's own output never is one.
 *
 * <p>The shortcuts' readings make the resnets' and darknet53's residual streams bf16 from block to
 * block: a deliberate deviation from the floats, as the next shortcut adds the rounded sum (a
 * relative 2^-9 at most, once per block) where it added the exact one.
 *
 * <p>Networks are planned so on backends computing in {@link org.jdarknet.backend.Precision#BF16};
 * where such a backend's convolutions compute fp32 after all (a CPU without bf16 instructions) it
 * gives floats, and nothing changes.
 */
final class RoundedOutputs {

    private RoundedOutputs() {
    }

    /**
     * The layers whose outputs are hand-offs, with every source in {@code placeable} placed in its
     * route, except in the buffers of the routes {@code floats}.
     */
    static Set<Integer> of(List<Layer> sketch, Map<Integer, Integer> placeable, Set<Integer> floats) {
        // Every output that may be placed in a route's counted as placed: the shortcuts that fuse
        // however the backend answers for the views.
        Set<Integer> fused = ShortcutPlan.fusing(sketch, placeable::containsKey);
        int[] buffer = buffers(sketch.size(), placeable, fused);
        // A source whose view the backend declines is copied by its route after all, but then that
        // route's buffer keeps floats (ConcatenationPlan), so it is planned as placed.
        List<List<Integer>> readers = Readers.of(sketch, placeable);
        Set<Integer> failed = new HashSet<>(floats);
        failed.add(buffer[sketch.size() - 1]);
        for (int index = 0; index < sketch.size(); index++) {
            if (!handOffWriterAndReaders(sketch, index, readers, placeable, fused)) {
                failed.add(buffer[index]);
            }
        }
        Set<Integer> candidates = new HashSet<>();
        for (int owner : buffer) {
            if (!failed.contains(owner)) {
                candidates.add(owner);
            }
        }
        dropMaxpoolsBetweenFloats(sketch, buffer, candidates);
        Set<Integer> rounded = new HashSet<>();
        for (int index = 0; index < sketch.size(); index++) {
            if (candidates.contains(buffer[index])) {
                rounded.add(index);
            }
        }
        return rounded;
    }

    /**
     * For each layer, the layer whose output buffer its output lies in: the outermost route it is
     * placed in, the convolution before it for a fused shortcut, or itself.
     */
    private static int[] buffers(int layers, Map<Integer, Integer> placeable, Set<Integer> fused) {
        int[] buffer = new int[layers];
        for (int index = 0; index < layers; index++) {
            int owner = fused.contains(index) ? index - 1 : index;
            while (placeable.containsKey(owner)) {
                owner = placeable.get(owner);
            }
            buffer[index] = owner;
        }
        return buffer;
    }

    /**
     * Whether layer {@code index} may write a hand-off (a convolution, the fused shortcut after
     * one, a max-pool whose every window holds a cell of the image, as the backend pools a hand-off
     * only so, or a route with all its sources placed in it) and every layer reading its output may
     * read one (a convolution, a fused shortcut or a max-pool; a convolution's fused shortcut is
     * none, as its readers read their shared output). Whether a max-pool's input and output are
     * both hand-offs is settled after.
     */
    private static boolean handOffWriterAndReaders(List<Layer> sketch, int index, List<List<Integer>> readers,
                                                   Map<Integer, Integer> placeable, Set<Integer> fused) {
        Layer layer = sketch.get(index);
        if (fused.contains(index + 1)) {
            return true;
        }
        boolean writer = layer instanceof ConvolutionalLayer || fused.contains(index)
                || layer instanceof MaxpoolLayer maxpool && maxpool.spec().everyWindowInImage()
                || layer instanceof RouteLayer route && route.sources().stream()
                .allMatch(source -> placeable.getOrDefault(source.index(), -1) == index);
        return writer && readers.get(index).stream()
                .allMatch(reader -> sketch.get(reader) instanceof ConvolutionalLayer || fused.contains(reader)
                        || sketch.get(reader) instanceof MaxpoolLayer);
    }

    /**
     * Max-pools must read and write hand-offs alike: until none is left, drops the buffers written
     * by a max-pool reading floats (the network's input among them) and those read by a max-pool
     * writing floats.
     */
    private static void dropMaxpoolsBetweenFloats(List<Layer> sketch, int[] buffer, Set<Integer> candidates) {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int index = 0; index < sketch.size(); index++) {
                boolean handedIn = index > 0 && candidates.contains(buffer[index - 1]);
                if (sketch.get(index) instanceof MaxpoolLayer && candidates.contains(buffer[index]) != handedIn) {
                    changed |= candidates.remove(buffer[index]);
                    changed |= index > 0 && candidates.remove(buffer[index - 1]);
                }
            }
        }
    }
}
