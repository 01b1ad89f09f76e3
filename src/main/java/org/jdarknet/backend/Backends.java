package org.jdarknet.backend;

import java.util.List;
import java.util.Optional;
import org.jdarknet.Log;
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
            default -> throw new IllegalArgumentException("unknown backend '" + name + "'; known: "
                    + String.join(", ", names()));
        };
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
