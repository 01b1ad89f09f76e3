package org.jdarknet.layers;

import org.jdarknet.backend.Tensor;

/**
 * Where layers' outputs live. Normally every layer allocates its own; a network built for
 * inference may instead place the outputs of a route's sources in their channel ranges of the
 * route's output (views, {@link org.jdarknet.backend.Backend#channelSlice}), so that the route has
 * nothing to copy. The network decides this before building its layers; a layer only asks.
 */
public interface OutputPlacement {
    /** Every layer allocates its own output. */
    OutputPlacement NONE = new OutputPlacement() {
        @Override
        public Tensor output(int layer) {
            return null;
        }

        @Override
        public boolean placedIn(int source, int route) {
            return false;
        }
    };

    /** The tensor layer {@code layer} writes its output into, owned by the placement; null when it allocates its own. */
    Tensor output(int layer);

    /** Whether layer {@code source}'s output is its own channel range of route {@code route}'s output. */
    boolean placedIn(int source, int route);
}
