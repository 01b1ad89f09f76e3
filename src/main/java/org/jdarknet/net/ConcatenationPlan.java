package org.jdarknet.net;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdarknet.Log;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.Precision;
import org.jdarknet.backend.Tensor;
import org.jdarknet.layers.Layer;
import org.jdarknet.layers.OutputPlacement;
import org.jdarknet.layers.RouteLayer;

/**
 * Decides, before an inference network's layers are built, which outputs are channel views of a
 * route's output, so that routes concatenate without copying. A route that is no other route's
 * placed source owns one buffer; each of its sources that is produced once and routed nowhere
 * else writes straight into its channel range of that buffer ({@link Backend#channelSlice}). A
 * source that is itself a route nests: its own sources are placed in the same buffer, so a
 * DenseNet block (each route the new features followed by the previous route) shares one buffer.
 * Where the backend declines a view the route copies that source, as it always does in training;
 * where it declines all of a buffer's views, the route allocates its output itself.
 *
 * <p>On a backend computing in bf16, a buffer whose values only bf16 hand-offs' writers write and
 * readers read ({@link RoundedOutputs}) is allocated with {@link Backend#allocateRounded}, but only where
 * every source of its routes lies in it (a route cannot copy into it): where the backend declines
 * one of their views, the plan is made again with that buffer of floats.
 */
final class ConcatenationPlan implements OutputPlacement, AutoCloseable {
    private final Map<Integer, Tensor> outputs = new HashMap<>();
    private final Map<Integer, Integer> placedIn = new HashMap<>();
    private final List<Tensor> owned = new ArrayList<>();
    private final Set<Integer> rounded;

    /** Where the channels of one output lie: from {@code offset} on in {@code buffer}, the output of route {@code owner}. */
    private record Region(Tensor buffer, int offset, int owner) {
    }

    private ConcatenationPlan(Set<Integer> rounded) {
        this.rounded = rounded;
    }

    /** No placement: every layer allocates its own output (training, where deltas concatenate too). */
    static ConcatenationPlan none() {
        return new ConcatenationPlan(Set.of());
    }

    /**
     * The plan for an inference network on {@code backend}, with its route buffers and views
     * allocated; {@code sketch} is the network's layers built on a counting backend (as
     * {@link MemoryNeeds#measure} leaves them), read only for shapes and which layer feeds which.
     */
    static ConcatenationPlan make(List<Layer> sketch, Backend backend) {
        Map<Integer, Integer> placeable = placeable(sketch);
        Set<Integer> floats = new HashSet<>();
        boolean bf16 = backend.precision() == Precision.BF16;
        while (true) {
            ConcatenationPlan plan = new ConcatenationPlan(bf16 ? RoundedOutputs.of(sketch, placeable, floats) : Set.of());
            try {
                Set<Integer> declined = plan.place(sketch, placeable, backend);
                if (declined.isEmpty()) {
                    return plan;
                }
                plan.close();
                floats.addAll(declined);
            } catch (RuntimeException | OutOfMemoryError e) {
                plan.close();
                throw e;
            }
        }
    }

    /**
     * For each output that can lie in a route's output, that route: a source produced once (no
     * other layer shares its output tensor) and routed nowhere else.
     */
    static Map<Integer, Integer> placeable(List<Layer> sketch) {
        Map<Integer, Integer> routings = new HashMap<>();
        Map<Tensor, Integer> holders = new IdentityHashMap<>();
        for (Layer layer : sketch) {
            holders.merge(layer.output(), 1, Integer::sum);
            if (layer instanceof RouteLayer route) {
                route.sources().forEach(source -> routings.merge(source.index(), 1, Integer::sum));
            }
        }
        Map<Integer, Integer> placeable = new HashMap<>();
        for (Layer layer : sketch) {
            if (layer instanceof RouteLayer route) {
                for (Layer source : route.sources()) {
                    if (routings.get(source.index()) == 1 && holders.get(source.output()) == 1) {
                        placeable.put(source.index(), layer.index());
                    }
                }
            }
        }
        return placeable;
    }

    /**
     * Routes from the last to the first, so that a route's region is known before its sources are
     * placed. Returns the routes owning a rounded buffer for which the backend declined a view.
     */
    private Set<Integer> place(List<Layer> sketch, Map<Integer, Integer> placeable, Backend backend) {
        Map<Integer, Region> regions = new HashMap<>();
        List<String> declined = new ArrayList<>();
        Set<Integer> roundedDeclined = new HashSet<>();
        for (int index = sketch.size() - 1; index >= 0; index--) {
            if (!(sketch.get(index) instanceof RouteLayer route)) {
                continue;
            }
            Region region = regions.computeIfAbsent(index, owner -> new Region(own(rounded.contains(owner)
                    ? backend.allocateRounded(route.outputShape()) : backend.allocate(route.outputShape())), 0, owner));
            outputs.putIfAbsent(index, region.buffer());
            int offset = region.offset();
            for (Layer source : route.sources()) {
                int channels = source.outputShape().c();
                if (placeable.getOrDefault(source.index(), -1) == index) {
                    Optional<Tensor> view = backend.channelSlice(region.buffer(), offset, channels);
                    if (view.isPresent()) {
                        outputs.put(source.index(), own(view.get()));
                        placedIn.put(source.index(), index);
                        regions.put(source.index(), new Region(region.buffer(), offset, region.owner()));
                    } else {
                        declined.add("layer " + source.index() + " into route " + index + " (channels " + offset + ".."
                                + (offset + channels) + ")");
                        if (rounded.contains(region.owner())) {
                            roundedDeclined.add(region.owner());
                        }
                    }
                }
                offset += channels;
            }
        }
        releaseUnused(regions);
        long sources = placeable.size();
        if (sources > 0 && roundedDeclined.isEmpty()) {
            Log.detail("routes: " + placedIn.size() + " of " + sources + " sources write into their route's output"
                    + (declined.isEmpty() ? "" : "; the " + backend.name() + " backend offers no view for "
                    + declined.size() + ", which are copied, first " + declined.get(0)));
        }
        return roundedDeclined;
    }

    /**
     * Gives back the buffers of routes into which no source was placed (every view declined):
     * such a route allocates its own output, as any layer does, which another plan may then make
     * a hand-off ({@link Handoffs}).
     */
    private void releaseUnused(Map<Integer, Region> regions) {
        Set<Integer> used = new HashSet<>();
        placedIn.keySet().forEach(source -> used.add(regions.get(source).owner()));
        regions.forEach((layer, region) -> {
            if (layer == region.owner() && !used.contains(layer)) {
                outputs.remove(layer);
                owned.removeIf(tensor -> tensor == region.buffer());
                region.buffer().close();
            }
        });
    }

    /** Whether layer {@code layer}'s output is to be stored rounded, a bf16 hand-off ({@link RoundedOutputs}). */
    boolean rounded(int layer) {
        return rounded.contains(layer);
    }

    /** How many of the rounded outputs this plan places in route outputs (those outputs included). */
    int roundedInRoutes() {
        return (int) rounded.stream().filter(outputs::containsKey).count();
    }

    private Tensor own(Tensor tensor) {
        owned.add(tensor);
        return tensor;
    }

    @Override
    public Tensor output(int layer) {
        return outputs.get(layer);
    }

    @Override
    public boolean placedIn(int source, int route) {
        Integer placed = placedIn.get(source);
        return placed != null && placed == route;
    }

    /** Each source placed in a route's output, and that route. */
    Map<Integer, Integer> placements() {
        return Map.copyOf(placedIn);
    }

    /** Views first, then the buffers they lie in. */
    @Override
    public void close() {
        for (int i = owned.size() - 1; i >= 0; i--) {
            owned.get(i).close();
        }
        owned.clear();
    }
}
