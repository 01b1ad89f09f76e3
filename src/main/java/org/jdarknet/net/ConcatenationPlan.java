package org.jdarknet.net;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdarknet.Log;
import org.jdarknet.backend.Backend;
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
 * Where the backend declines a view the route copies that source, as it always does in training.
 */
final class ConcatenationPlan implements OutputPlacement, AutoCloseable {
    private final Map<Integer, Tensor> outputs = new HashMap<>();
    private final Map<Integer, Integer> placedIn = new HashMap<>();
    private final List<Tensor> owned = new ArrayList<>();

    /** Where the channels of one output lie: from {@code offset} on in {@code buffer}, a route's own output. */
    private record Region(Tensor buffer, int offset) {
    }

    private ConcatenationPlan() {
    }

    /** No placement: every layer allocates its own output (training, where deltas concatenate too). */
    static ConcatenationPlan none() {
        return new ConcatenationPlan();
    }

    /**
     * The plan for an inference network on {@code backend}, with its route buffers and views
     * allocated; {@code sketch} is the network's layers built on a counting backend (as
     * {@link MemoryNeeds#measure} leaves them), read only for shapes and which layer feeds which.
     */
    static ConcatenationPlan make(List<Layer> sketch, Backend backend) {
        ConcatenationPlan plan = new ConcatenationPlan();
        try {
            plan.place(sketch, backend);
        } catch (RuntimeException | OutOfMemoryError e) {
            plan.close();
            throw e;
        }
        return plan;
    }

    /** Routes from the last to the first, so that a route's region is known before its sources are placed. */
    private void place(List<Layer> sketch, Backend backend) {
        Map<Integer, Integer> routings = new HashMap<>();
        Map<Tensor, Integer> holders = new IdentityHashMap<>();
        for (Layer layer : sketch) {
            holders.merge(layer.output(), 1, Integer::sum);
            if (layer instanceof RouteLayer route) {
                route.sources().forEach(source -> routings.merge(source.index(), 1, Integer::sum));
            }
        }
        Map<Integer, Region> regions = new HashMap<>();
        int sources = 0;
        List<String> declined = new ArrayList<>();
        for (int index = sketch.size() - 1; index >= 0; index--) {
            if (!(sketch.get(index) instanceof RouteLayer route)) {
                continue;
            }
            Region region = regions.computeIfAbsent(index, i -> new Region(own(backend.allocate(route.outputShape())), 0));
            outputs.putIfAbsent(index, region.buffer());
            int offset = region.offset();
            for (Layer source : route.sources()) {
                int channels = source.outputShape().c();
                boolean placeable = routings.get(source.index()) == 1 && holders.get(source.output()) == 1;
                if (placeable) {
                    sources++;
                    Optional<Tensor> view = backend.channelSlice(region.buffer(), offset, channels);
                    if (view.isPresent()) {
                        outputs.put(source.index(), own(view.get()));
                        placedIn.put(source.index(), index);
                        regions.put(source.index(), new Region(region.buffer(), offset));
                    } else {
                        declined.add("layer " + source.index() + " into route " + index + " (channels " + offset + ".."
                                + (offset + channels) + ")");
                    }
                }
                offset += channels;
            }
        }
        if (sources > 0) {
            Log.detail("routes: " + placedIn.size() + " of " + sources + " sources write into their route's output"
                    + (declined.isEmpty() ? "" : "; the " + backend.name() + " backend offers no view for "
                    + declined.size() + ", which are copied, first " + declined.get(0)));
        }
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

    /** Views first, then the buffers they lie in. */
    @Override
    public void close() {
        for (int i = owned.size() - 1; i >= 0; i--) {
            owned.get(i).close();
        }
        owned.clear();
    }
}
