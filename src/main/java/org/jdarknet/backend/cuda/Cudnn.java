package org.jdarknet.backend.cuda;

import java.util.HashMap;
import java.util.Map;
import org.bytedeco.cuda.cudnn.cudnnContext;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.cudnn;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * The backend's cuDNN: one handle on the backend's stream, the scaling constants, one workspace
 * shared by every convolution (it only ever runs one at a time, on one stream), and the
 * algorithms chosen per shape, so that layers of the same geometry search once.
 */
final class Cudnn implements AutoCloseable {
    /** cuDNN 9.0 is the oldest release whose legacy convolution API this backend calls. */
    static final long MINIMUM_VERSION = 90000;

    /** Which of a convolution's three passes an algorithm is for. */
    enum Pass { FORWARD, BACKWARD_DATA, BACKWARD_FILTER }

    /** A shape's algorithm for one pass. */
    private record Key(Pass pass, Object geometry) {
    }

    private final Gpu gpu;
    private final cudnnContext handle = new cudnnContext();
    private final FloatPointer one = new FloatPointer(1f);
    private final FloatPointer zero = new FloatPointer(0f);
    private final Map<Key, AlgorithmChoice.Chosen> algorithms = new HashMap<>();
    private final long version;
    private Pointer workspace;
    private long workspaceBytes;

    Cudnn(Gpu gpu) {
        this.gpu = gpu;
        this.version = cudnn.cudnnGetVersion();
        if (version < MINIMUM_VERSION) {
            throw new CudaException("the cuda backend needs cuDNN 9 or later; this machine has " + versionText(version), false);
        }
        Check.cudnn(cudnn.cudnnCreate(handle), "cudnnCreate", null);
        Check.cudnn(cudnn.cudnnSetStream(handle, gpu.stream()), "cudnnSetStream", null);
    }

    cudnnContext handle() {
        return handle;
    }

    FloatPointer one() {
        return one;
    }

    FloatPointer zero() {
        return zero;
    }

    /** E.g. {@code 9.10.2} from cuDNN's {@code 91002}. */
    static String versionText(long version) {
        return version / 10000 + "." + version / 100 % 100 + "." + version % 100;
    }

    String version() {
        return versionText(version);
    }

    /** The algorithm chosen for {@code geometry}'s {@code pass}, searching with {@code search} the first time. */
    AlgorithmChoice.Chosen algorithm(Pass pass, Object geometry, java.util.function.LongFunction<AlgorithmChoice.Chosen> search) {
        Key key = new Key(pass, geometry);
        AlgorithmChoice.Chosen chosen = algorithms.get(key);
        if (chosen == null) {
            long limit = AlgorithmChoice.workspaceLimit(freeMemory());
            chosen = search.apply(limit);
            algorithms.put(key, chosen);
        }
        return chosen;
    }

    /** The shared workspace, grown (only while algorithms are being chosen) to at least {@code bytes}. */
    Pointer workspace(long bytes) {
        if (bytes > workspaceBytes) {
            if (workspace != null) {
                gpu.free(workspace);
            }
            workspace = gpu.allocate(bytes, "the cuDNN workspace");
            workspaceBytes = bytes;
        }
        return workspace;
    }

    long workspaceBytes() {
        return workspaceBytes;
    }

    private static long freeMemory() {
        try (SizeTPointer free = new SizeTPointer(1); SizeTPointer total = new SizeTPointer(1)) {
            Check.cuda(cudart.cudaMemGetInfo(free, total), "cudaMemGetInfo", "sizing the cuDNN workspace");
            return free.get();
        }
    }

    @Override
    public void close() {
        if (workspace != null) {
            gpu.free(workspace);
        }
        Check.cudnn(cudnn.cudnnDestroy(handle), "cudnnDestroy", null);
        one.close();
        zero.close();
    }
}
