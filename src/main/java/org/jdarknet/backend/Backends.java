package org.jdarknet.backend;

import java.util.List;
import org.jdarknet.backend.reference.ReferenceBackend;

/** Creates backends by the names {@code --backend} accepts. */
public final class Backends {

    private Backends() {
    }

    public static List<String> names() {
        return List.of("auto", "reference");
    }

    /**
     * The backend called {@code name}; {@code auto} picks the fastest one available here.
     *
     * @param threads worker threads for CPU backends, 0 for one per core
     */
    public static Backend create(String name, int threads) {
        return switch (name) {
            case "auto", "reference" -> new ReferenceBackend();
            default -> throw new IllegalArgumentException("unknown backend '" + name + "'; known: "
                    + String.join(", ", names()));
        };
    }
}
