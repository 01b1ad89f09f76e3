package org.jdarknet.backend.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.bytedeco.cuda.cudart.CUfunc_st;
import org.bytedeco.cuda.cudart.CUmod_st;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * The kernels' module, loaded from the shipped PTX (the driver compiles it for the GPU at hand,
 * so a user's machine needs no CUDA compiler), and their launches. Every distinct call (kernel,
 * tensors, values) gets its parameter array once; a network repeats the same calls every batch,
 * so launching again costs one driver call and no allocation. Arrays naming a tensor are dropped
 * when it is closed.
 */
final class Kernels implements AutoCloseable {
    static final String PTX_RESOURCE = "kernels.ptx";

    private final Gpu gpu;
    private final CUmod_st module = new CUmod_st();
    private final Map<Kernel, CUfunc_st> functions = new EnumMap<>(Kernel.class);
    private final Map<CallSite, Launch> launches = new HashMap<>();
    private final int multiprocessors;

    /** One call as a map key: tensors compare by identity (they do not override equals), values by value. */
    private record CallSite(Kernel kernel, long workItems, List<Object> arguments) {
    }

    private record Launch(CUfunc_st function, LaunchGeometry geometry, KernelArguments arguments) {
    }

    Kernels(Gpu gpu) {
        this.gpu = gpu;
        byte[] ptx = ptx();
        try (BytePointer image = new BytePointer(ptx.length + 1L)) {
            image.put(ptx).put(ptx.length, (byte) 0);
            Check.driver(cudart.cuModuleLoadData(module, image), "cuModuleLoadData", "loading " + PTX_RESOURCE);
        }
        for (Kernel kernel : Kernel.values()) {
            CUfunc_st function = new CUfunc_st();
            Check.driver(cudart.cuModuleGetFunction(function, module, kernel.entryPoint()),
                    "cuModuleGetFunction(" + kernel.entryPoint() + ")", "loading " + PTX_RESOURCE);
            functions.put(kernel, function);
        }
        int[] count = new int[1];
        Check.cuda(cudart.cudaDeviceGetAttribute(count, cudart.cudaDevAttrMultiProcessorCount, gpu.ordinal()),
                "cudaDeviceGetAttribute(MultiProcessorCount)", null);
        this.multiprocessors = count[0];
    }

    /** The PTX text as shipped in the jar. */
    static byte[] ptx() {
        try (InputStream in = Kernels.class.getResourceAsStream(PTX_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(PTX_RESOURCE + " is missing from the classpath (a broken build)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + PTX_RESOURCE, e);
        }
    }

    /**
     * Queues {@code kernel} on the stream over {@code workItems} items with these arguments (see
     * {@link KernelArguments#pack}).
     */
    void run(Kernel kernel, long workItems, Object... arguments) {
        gpu.bind();
        CallSite site = new CallSite(kernel, workItems, Arrays.asList(arguments));
        Launch launch = launches.get(site);
        if (launch == null) {
            launch = new Launch(functions.get(kernel), LaunchGeometry.forElements(workItems, multiprocessors),
                    KernelArguments.pack(kernel, arguments));
            launches.put(site, launch);
        }
        LaunchGeometry geometry = launch.geometry();
        Check.driver(cudart.cuLaunchKernel(launch.function(), geometry.blocks(), 1, 1, geometry.threads(), 1, 1, 0,
                gpu.stream(), launch.arguments().array(), (PointerPointer<?>) null), "cuLaunchKernel(" + kernel.entryPoint() + ")", null);
    }

    /** Drops the parameter arrays that hold {@code tensor}'s address, before its memory is freed. */
    void forget(DeviceTensor tensor) {
        Iterator<Map.Entry<CallSite, Launch>> entries = launches.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<CallSite, Launch> entry = entries.next();
            if (entry.getKey().arguments().stream().anyMatch(argument -> argument == tensor)) {
                entry.getValue().arguments().close();
                entries.remove();
            }
        }
    }

    @Override
    public void close() {
        launches.values().forEach(launch -> launch.arguments().close());
        launches.clear();
        Check.driver(cudart.cuModuleUnload(module), "cuModuleUnload", null);
    }
}
