package org.jdarknet.backend.cpu;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;

/**
 * Sets how many OpenMP threads oneDNN uses. oneDNN's Java binding has no call for it and
 * {@code OMP_NUM_THREADS} cannot be set from inside a running JVM, so this calls libgomp's
 * {@code omp_set_num_threads} (loaded with oneDNN) through the one generic native call JavaCPP
 * ships: its native deallocator, which calls a C function pointer with one pointer-sized argument.
 * The thread count travels as that argument; on x86-64 and AArch64 an {@code int} parameter reads
 * the low half of the same register, so the call is well defined there.
 *
 * <p>OpenMP keeps the setting per calling thread, so it is applied on each thread that runs
 * primitives (see {@link Dnnl#execute}).
 */
final class OpenMpThreads {
    private final Pointer setNumThreads;
    private final Constructor<?> nativeCall;
    private final Method invoke;

    private OpenMpThreads(Pointer setNumThreads, Constructor<?> nativeCall, Method invoke) {
        this.setNumThreads = setNumThreads;
        this.nativeCall = nativeCall;
        this.invoke = invoke;
    }

    /** The setter, or an exception saying why it cannot work in this process. */
    static OpenMpThreads find() throws ReflectiveOperationException {
        Pointer function = Loader.addressof("omp_set_num_threads");
        if (function == null || function.isNull()) {
            throw new NoSuchMethodException("omp_set_num_threads is not loaded");
        }
        Class<?> deallocator = Class.forName("org.bytedeco.javacpp.Pointer$NativeDeallocator");
        Constructor<?> constructor = deallocator.getDeclaredConstructor(Pointer.class, long.class, long.class);
        constructor.setAccessible(true);
        return new OpenMpThreads(function, constructor, deallocator.getMethod("deallocate"));
    }

    /** Makes primitives run from the calling thread use {@code threads} threads. */
    void apply(int threads) {
        try {
            invoke.invoke(nativeCall.newInstance(new Pointer(), (long) threads, setNumThreads.address()));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot set the OpenMP thread count", e);
        }
    }
}
