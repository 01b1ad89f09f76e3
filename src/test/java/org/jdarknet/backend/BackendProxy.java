package org.jdarknet.backend;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * Test backends made by wrapping another: every call passes on to it, but for what an interceptor
 * answers or notes itself (counting route copies, declining views, asking for no hand-offs).
 */
public final class BackendProxy {

    private BackendProxy() {
    }

    /** One call to the wrapped backend, with the arguments it was made with. */
    @FunctionalInterface
    public interface Proceed {
        Object call() throws Throwable;
    }

    /** Answers a call to the proxy by name; {@code proceed} makes it on the wrapped backend. */
    @FunctionalInterface
    public interface Interceptor {
        Object call(String method, Object[] args, Proceed proceed) throws Throwable;
    }

    public static Backend around(Backend wrapped, Interceptor interceptor) {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> interceptor.call(method.getName(), args, () -> {
                    try {
                        return method.invoke(wrapped, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                }));
    }
}
