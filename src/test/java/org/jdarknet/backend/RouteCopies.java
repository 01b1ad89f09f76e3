package org.jdarknet.backend;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend passed on unchanged except for routes: it counts {@link Backend#copyChannels} calls
 * (the copies a route makes), and, when asked to, declines every {@link Backend#channelSlice},
 * so that a network built on it takes the copying path.
 */
public final class RouteCopies {
    private final AtomicInteger copies = new AtomicInteger();
    private final Backend backend;

    private RouteCopies(Backend wrapped, boolean declineViews) {
        this.backend = BackendProxy.around(wrapped, (method, args, proceed) -> {
            if (method.equals("copyChannels")) {
                copies.incrementAndGet();
            }
            return declineViews && method.equals("channelSlice") ? Optional.empty() : proceed.call();
        });
    }

    /** {@code backend}, its route copies counted. */
    public static RouteCopies counting(Backend backend) {
        return new RouteCopies(backend, false);
    }

    /** {@code backend} without views, its route copies counted. */
    public static RouteCopies withoutViews(Backend backend) {
        return new RouteCopies(backend, true);
    }

    public Backend backend() {
        return backend;
    }

    /** The copies made since the last call. */
    public int take() {
        return copies.getAndSet(0);
    }
}
