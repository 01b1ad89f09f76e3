package org.jdarknet.backend.cpu;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;

/**
 * A C function of the process, {@code void f(x)} with one integer or pointer argument, called
 * without a JNI binding of its own. oneDNN's Java binding lacks the two calls this backend needs
 * from libc and libgomp ({@link OpenMp}), so they go through the one generic native call JavaCPP
 * ships: its native deallocator, which calls a C function pointer with one pointer-sized argument.
 * On x86-64 and AArch64 an {@code int} parameter reads the low half of that same register, so
 * {@code int} functions are called correctly too.
 */
final class NativeFunction {
    private final String name;
    private final long address;
    private final Constructor<?> trampoline;
    private final Method call;

    private NativeFunction(String name, long address, Constructor<?> trampoline, Method call) {
        this.name = name;
        this.address = address;
        this.trampoline = trampoline;
        this.call = call;
    }

    /** The function {@code name} among the libraries loaded so far. */
    static NativeFunction find(String name) throws ReflectiveOperationException {
        Pointer function = Loader.addressof(name);
        if (function == null || function.isNull()) {
            throw new NoSuchMethodException(name + " is not loaded");
        }
        Class<?> deallocator = Class.forName("org.bytedeco.javacpp.Pointer$NativeDeallocator");
        Constructor<?> constructor = deallocator.getDeclaredConstructor(Pointer.class, long.class, long.class);
        constructor.setAccessible(true);
        return new NativeFunction(name, function.address(), constructor, deallocator.getMethod("deallocate"));
    }

    /** Calls the function with {@code argument}, which must not be zero (the trampoline skips null). */
    void call(long argument) {
        try {
            call.invoke(trampoline.newInstance(new Pointer(), argument, address));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot call " + name, e);
        }
    }
}
