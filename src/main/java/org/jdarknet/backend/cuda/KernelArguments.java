package org.jdarknet.backend.cuda;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * The parameter array {@code cuLaunchKernel} takes: one pointer per kernel argument, each pointing
 * to memory that holds the argument's value. The values live in one block of 8-byte slots (every
 * argument type a kernel here takes — a device pointer, an int, a float, a 64-bit count — fits
 * one, naturally aligned), and the pointer array is built once, with the values, when a call
 * site is first seen; launching again reuses both.
 */
final class KernelArguments implements AutoCloseable {
    static final int SLOT_BYTES = 8;

    private final BytePointer slots;
    private final PointerPointer<Pointer> pointers;
    private final int count;
    private int filled;

    KernelArguments(int count) {
        this.count = count;
        this.slots = new BytePointer(Math.max(1, (long) count * SLOT_BYTES));
        this.slots.fill(0);
        this.pointers = new PointerPointer<>(Math.max(1, count));
        for (int i = 0; i < count; i++) {
            pointers.put(i, slots.getPointer((long) i * SLOT_BYTES));
        }
    }

    /**
     * The arguments of one call of {@code kernel}: device tensors (or null for an optional
     * pointer), {@code Integer}s, {@code Long}s (or {@code Integer}s) and {@code Float}s, in the
     * order and of the types {@link Kernel#parameters()} lists.
     */
    static KernelArguments pack(Kernel kernel, Object... values) {
        if (values.length != kernel.parameters().size()) {
            throw new IllegalArgumentException(kernel.entryPoint() + " takes " + kernel.parameters().size()
                    + " arguments, not " + values.length);
        }
        KernelArguments arguments = new KernelArguments(values.length);
        for (int i = 0; i < values.length; i++) {
            Object value = values[i];
            switch (kernel.parameters().get(i)) {
                case POINTER -> arguments.address(value == null ? 0 : argument(kernel, i, value, DeviceTensor.class).address());
                case INTEGER -> arguments.integer(argument(kernel, i, value, Integer.class));
                case WIDE -> arguments.wide(value instanceof Integer small ? small : argument(kernel, i, value, Long.class));
                case REAL -> arguments.real(argument(kernel, i, value, Float.class));
            }
        }
        return arguments;
    }

    private static <T> T argument(Kernel kernel, int index, Object value, Class<T> type) {
        if (!type.isInstance(value)) {
            throw new IllegalArgumentException(kernel.entryPoint() + "'s argument " + index + " must be a "
                    + type.getSimpleName() + ", not " + value);
        }
        return type.cast(value);
    }

    /** A device address, passed as a {@code float*} (or any pointer) argument. */
    KernelArguments address(long deviceAddress) {
        slots.putLong(next(), deviceAddress);
        return this;
    }

    KernelArguments integer(int value) {
        slots.putInt(next(), value);
        return this;
    }

    KernelArguments real(float value) {
        slots.putFloat(next(), value);
        return this;
    }

    /** A 64-bit integer ({@code long long}, {@code size_t}). */
    KernelArguments wide(long value) {
        slots.putLong(next(), value);
        return this;
    }

    /** The array for {@code cuLaunchKernel}; all arguments must have been given. */
    PointerPointer<Pointer> array() {
        if (filled != count) {
            throw new IllegalStateException(filled + " of " + count + " kernel arguments given");
        }
        return pointers;
    }

    int count() {
        return count;
    }

    /** Byte offset of the next argument's slot. */
    private long next() {
        if (filled == count) {
            throw new IllegalStateException("more than " + count + " kernel arguments");
        }
        return (long) (filled++) * SLOT_BYTES;
    }

    @Override
    public void close() {
        pointers.close();
        slots.close();
    }
}
