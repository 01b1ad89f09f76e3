package org.jdarknet.backend;

import java.util.List;
import java.util.Optional;
import org.jdarknet.Log;
import org.jdarknet.UsageException;
import org.jdarknet.backend.cpu.CpuBackend;
import org.jdarknet.backend.reference.ReferenceBackend;

/** Creates backends by the names {@code --backend} accepts. */
public final class Backends {

    private Backends() {
    }

    public static List<String> names() {
        return List.of("auto", "reference", "cpu");
    }

    /**
     * The backend called {@code name}; {@code auto} picks the fastest one available here.
     *
     * @param threads worker threads for CPU backends, 0 for one per core
     */
    public static Backend create(String name, int threads) {
        return switch (name) {
            case "auto" -> fastestAvailable(threads);
            case "reference" -> new ReferenceBackend();
            case "cpu" -> new CpuBackend(threads);
            case "cuda" -> throw new UsageException("this build of jdarknet has no CUDA backend yet; "
                    + "the backends here are " + String.join(", ", names()));
            default -> throw new UsageException("unknown backend '" + name + "'; known: "
                    + String.join(", ", names()));
        };
    }

    /**
     * Starts loading, on a background thread, what creating backend {@code name} would wait for:
     * the cpu backend's native libraries (for {@code auto} too), about a third of a one-image
     * {@code classify}. The caller reads its other inputs meanwhile; {@link #create} then waits
     * only for what is left. Nothing happens for other names, unknown ones included.
     */
    public static void preload(String name) {
        if (name.equals("auto") || name.equals("cpu")) {
            CpuBackend.preload();
        }
    }

    private static Backend fastestAvailable(int threads) {
        Optional<String> problem = CpuBackend.unavailableReason();
        if (problem.isPresent()) {
            Log.warn(problem.get() + "; using the reference backend (slow)");
            return new ReferenceBackend();
        }
        return new CpuBackend(threads);
    }
}
