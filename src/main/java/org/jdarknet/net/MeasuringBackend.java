package org.jdarknet.net;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.ConvolutionSpec;
import org.jdarknet.backend.Shape;
import org.jdarknet.backend.Tensor;

/**
 * A backend that allocates nothing and counts what a network built on it would allocate:
 * parameter and activation bytes, and each convolution's im2col workspace (darknet's
 * {@code workspace_size}; the reference backend keeps one per convolution). Building the layers on
 * it gives a network's needs from its cfg with the layers' own shape arithmetic. It is a proxy so
 * that it answers every operation the {@link Backend} interface has or gains: computing ones are
 * never called while layers are built, and fail if they are.
 */
final class MeasuringBackend implements InvocationHandler {
    private long parameterBytes;
    private long activationBytes;
    private long workspaceBytes;

    /** A tensor asked for that no backend can hold: more values than an int counts. */
    static final class TensorTooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final Shape shape;
        final long values;

        TensorTooLarge(Shape shape, long values) {
            super(shape + " is " + values + " values");
            this.shape = shape;
            this.values = values;
        }
    }

    Backend backend() {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, this);
    }

    long parameterBytes() {
        return parameterBytes;
    }

    long activationBytes() {
        return activationBytes;
    }

    long workspaceBytes() {
        return workspaceBytes;
    }

    long totalBytes() {
        return parameterBytes + activationBytes + workspaceBytes;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) {
        switch (method.getName()) {
            case "allocate":
                activationBytes += bytes((Shape) args[0]);
                return new Measured((Shape) args[0]);
            case "allocateParameter":
                parameterBytes += bytes((Shape) args[0]);
                return new Measured((Shape) args[0]);
            case "convolution":
                ConvolutionSpec spec = (ConvolutionSpec) args[0];
                workspaceBytes += 4L * spec.weights().itemSize() * spec.outputHeight() * spec.outputWidth();
                return unrun(method.getReturnType(), spec);
            case "connected":
                return unrun(method.getReturnType(), args[0]);
            case "name", "description", "toString":
                return "measuring";
            case "hashCode":
                return System.identityHashCode(proxy);
            case "equals":
                return proxy == args[0];
            default:
                if (method.getReturnType() == void.class) {
                    return null; // fill, upload, close: nothing to do where nothing is stored
                }
                if (method.getReturnType() == boolean.class) {
                    return Boolean.FALSE;
                }
                throw new UnsupportedOperationException(method.getName() + " called on a backend that only measures");
        }
    }

    private static long bytes(Shape shape) {
        long values = (long) shape.n() * shape.c() * shape.h() * shape.w();
        if (values > Integer.MAX_VALUE) {
            throw new TensorTooLarge(shape, values);
        }
        return 4 * values;
    }

    private record Measured(Shape shape) implements Tensor {
        @Override
        public void close() {
        }
    }

    /** A prepared operation ({@code type}: a convolution, a connected layer) that has its spec and never runs. */
    private static Object unrun(Class<?> type, Object spec) {
        InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
            case "spec" -> spec;
            case "close" -> null;
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            case "toString" -> "unrun " + spec;
            default -> throw new UnsupportedOperationException("a measured " + type.getSimpleName() + " does not run");
        };
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
    }
}
