package org.jdarknet.backend;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
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
        this.backend = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("copyChannels")) {
                        copies.incrementAndGet();
                    }
                    if (declineViews && method.getName().equals("channelSlice")) {
                        return Optional.empty();
                    }
                    try {
                        return method.invoke(wrapped, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
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
