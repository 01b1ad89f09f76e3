package org.jdarknet.backend.cpu;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.dnnl.primitive_desc_base;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.jdarknet.Log;
import org.jdarknet.UsageException;
import org.jdarknet.backend.Precision;
import org.jdarknet.backend.Shape;

/**
 * One backend's oneDNN context: the CPU engine and stream, the activation layout (of the network being built), the thread count,
 * the precision convolutions and connected layers compute in, and the primitives (and scratch) that operations share (keyed by records that describe them). Every primitive
 * runs through {@link #execute}, the single place where oneDNN's OpenMP pool is entered.
 */
final class Dnnl implements AutoCloseable {
    private final engine engine;
    private final stream stream;
    private Layout.Format activationFormat;
    private final int threads;
    private final Precision precision;
    private final OpenMp openMp;
    private final Map<Object, AutoCloseable> cache = new HashMap<>();

    /**
     * @param threads OpenMP threads for primitives, 0 for OpenMP's default ({@code OMP_NUM_THREADS},
     *                else one per core)
     * @param format  the activation layout, null for the one oneDNN prefers on this CPU for
     *                {@code precision}'s convolutions
     */
    Dnnl(int threads, Layout.Format format, Precision precision) {
        this.engine = new engine(org.bytedeco.dnnl.engine.kind.cpu, 0);
        this.stream = new stream(engine);
        this.activationFormat = format != null ? format : ActivationFormat.preferred(precision);
        this.threads = threads > 0 ? threads : defaultThreads();
        this.precision = precision;
        this.openMp = findOpenMp(threads > 0);
    }

    /** OpenMP's own default: {@code OMP_NUM_THREADS}, else one thread per core. */
    private static int defaultThreads() {
        String environment = System.getenv("OMP_NUM_THREADS");
        return environment != null && environment.matches("\\d+") ? Integer.parseInt(environment)
                : Runtime.getRuntime().availableProcessors();
    }

    /** The thread-count setter; without it OpenMP's default applies, which only an explicit count cannot accept. */
    private static OpenMp findOpenMp(boolean required) {
        try {
            return OpenMp.find();
        } catch (ReflectiveOperationException | RuntimeException e) {
            if (required) {
                throw new IllegalStateException("--threads cannot be applied to oneDNN here: " + e, e);
            }
            return null;
        }
    }

    engine engine() {
        return engine;
    }

    /** The number of threads primitives run on. */
    int threads() {
        return threads;
    }

    Layout.Format activationFormat() {
        return activationFormat;
    }

    /** Keeps the activations allocated from now on in {@code format}; those allocated before keep theirs. */
    void useActivationFormat(Layout.Format format) {
        activationFormat = format;
    }

    /** What convolutions and connected layers compute in (their backward passes are always fp32). */
    Precision precision() {
        return precision;
    }

    /** Whether convolutions multiply bf16 operands: bf16 asked for, on a CPU with bf16 instructions. */
    boolean bf16Products() {
        return precision == Precision.BF16 && CpuIsa.hasBf16();
    }

    /**
     * Refuses {@code what} (a training operation) in a backend that computes in less than fp32:
     * its forward passes would not be the ones the gradients are computed for.
     */
    void requireTraining(String what) {
        if (precision != Precision.FP32) {
            throw new UsageException("--precision " + precision.label() + " is for inference; training computes in"
                    + " fp32 (" + what + " asked for)");
        }
    }

    /**
     * A tensor's layout: the activation format, except that with a blocked format tensors with
     * fewer channels than a block (the image) stay planar, which is what oneDNN's first-layer
     * convolutions read, instead of mostly padding.
     */
    Layout layout(Shape shape) {
        return new Layout(shape, shape.c() >= activationFormat.block() ? activationFormat : Layout.Format.PLAIN);
    }

    /** A new buffer of {@code descriptor}'s size, zero-filled (blocked padding must start at zero). */
    memory allocate(memory.desc descriptor) {
        memory allocated = new memory(descriptor, engine);
        Pointer.memset(allocated.get_data_handle(), 0, descriptor.get_size());
        return allocated;
    }

    /** One float {@code value} in a memory of its own, as a primitive reads a scale. */
    memory scalar(float value) {
        memory scalar = allocate(Descriptors.of(memory.format_tag.x, 1));
        new FloatPointer(scalar.get_data_handle()).put(value);
        return scalar;
    }

    /** A memory describing {@code data}, which the caller owns and keeps alive while it is used. */
    memory wrap(memory.desc descriptor, Pointer data) {
        return new memory(descriptor, engine, data);
    }

    /**
     * The primitive (or other native resource: scratch tensors, per-layout operands) cached under
     * {@code key}, created on first use and released with this context.
     */
    <T extends AutoCloseable> T cached(Object key, Supplier<T> create) {
        @SuppressWarnings("unchecked")
        T value = (T) cache.computeIfAbsent(key, k -> create.get());
        return value;
    }

    void execute(primitive primitive, Arg... arguments) {
        try (IntMemoryMap map = arguments(arguments)) {
            execute(primitive, map);
        }
    }

    /** An argument map for {@link #execute(primitive, IntMemoryMap)}, for callers that keep one. */
    static IntMemoryMap arguments(Arg... arguments) {
        IntMemoryMap map = new IntMemoryMap();
        for (Arg argument : arguments) {
            map.put(argument.key(), argument.value());
        }
        return map;
    }

    void execute(primitive primitive, IntMemoryMap arguments) {
        if (openMp != null) {
            openMp.useThreads(threads);
        }
        primitive.execute(stream, arguments);
    }

    /** A reorder primitive: copies between two memories, converting the layout. */
    reorder reorder(memory.desc from, memory.desc to) {
        try (reorder.primitive_desc descriptor = new reorder.primitive_desc(engine, from, engine, to)) {
            return new reorder(descriptor);
        }
    }

    /**
     * A reorder that also multiplies by one scale per argument in {@code scaled} ({@code DNNL_ARG_SRC})
     * or divides by it ({@code DNNL_ARG_DST}), each given on every execution: quantising floats,
     * stepping bytes to another range.
     */
    reorder scalingReorder(memory.desc from, memory.desc to, int... scaled) {
        return scalingReorder(from, to, 0, scaled);
    }

    /** The same, each scale given per slice of the dimensions set in {@code mask} (oneDNN's scales mask). */
    private reorder scalingReorder(memory.desc from, memory.desc to, int mask, int[] scaled) {
        try (primitive_attr attributes = new primitive_attr()) {
            for (int argument : scaled) {
                attributes.set_scales_mask(argument, mask);
            }
            try (reorder.primitive_desc descriptor = new reorder.primitive_desc(engine, from, engine, to, attributes,
                    false)) {
                return new reorder(descriptor);
            }
        }
    }

    /** Copies {@code from} into {@code to}, converting the layout, with a primitive used once. */
    void reorder(memory from, memory to) {
        try (reorder reorder = new reorder(from, to)) {
            execute(reorder, Arg.src(from), Arg.dst(to));
        }
    }

    /**
     * The same, each output's values multiplied by its entry of {@code factors}: {@code from}
     * holds weights in darknet's order, outputs first ({@code oihw}, {@code oi}; {@code goihw},
     * whose groups and outputs within them are the outputs in order).
     */
    void reorderScalingOutputs(memory from, memory to, float[] factors) {
        try (memory.desc source = from.get_desc(); memory.desc destination = to.get_desc();
             reorder reorder = scalingReorder(source, destination, source.get_ndims() == 5 ? 0b11 : 0b1,
                     new int[] {DNNL_ARG_SRC});
             memory scales = allocate(Descriptors.of(memory.format_tag.x, factors.length))) {
            new FloatPointer(scales.get_data_handle()).put(factors);
            execute(reorder, Arg.src(from), Arg.dst(to), Arg.scales(DNNL_ARG_SRC, scales));
        }
    }

    void await() {
        stream._wait();
    }

    /**
     * Says (with {@code -v}) which kernel oneDNN picked for {@code what}, and when it is a slow one.
     * The description is only built when it is printed: building it formats records for the first
     * time, which costs a one-image run more than the rest of creating its primitives.
     */
    static void noteKernel(primitive_desc_base descriptor, Supplier<String> what) {
        if (Log.verbose()) {
            Log.detail(what.get() + ": oneDNN kernel " + descriptor.impl_info_str().getString());
            noteSlowKernel(descriptor, what);
        }
    }

    /**
     * Says (with {@code -v}) when oneDNN has no optimised kernel for {@code what} and falls back to
     * its reference one, which is correct but can be a hundred times slower.
     */
    static void noteSlowKernel(primitive_desc_base descriptor, Supplier<String> what) {
        if (!Log.verbose()) {
            return;
        }
        String kernel = descriptor.impl_info_str().getString();
        if (kernel.startsWith("ref")) {
            Log.detail(what.get() + " runs on oneDNN's reference kernel (" + kernel + "), which is slow");
        }
    }

    private static void release(AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot release " + resource, e);
        }
    }

    @Override
    public void close() {
        cache.values().forEach(Dnnl::release);
        cache.clear();
        stream.close();
        engine.close();
    }
}
