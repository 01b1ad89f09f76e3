package org.jdarknet.cli;

import org.jdarknet.Log;
import org.jdarknet.UsageException;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.Backends;
import picocli.CommandLine.Option;

/** {@code --backend} and {@code --threads}, shared by every command that computes. */
final class BackendOptions {
    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "auto",
            description = "Where to compute: auto (the fastest here), reference, cpu (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "CPU threads (default: one per core).")
    int threads;

    @Option(names = "-gpu", paramLabel = "N", hidden = true,
            description = "Darknet's spelling for a GPU; this build has no CUDA backend yet, and says so.")
    Integer gpu;

    Backend create() {
        if (threads < 0) {
            throw new UsageException("--threads must be 0 (one per core) or more, found " + threads);
        }
        Backend created = Backends.create(name(), threads);
        if (Log.verbose()) { // the cpu backend asks oneDNN for its version
            Log.detail("backend: " + created.description());
        }
        return created;
    }

    private String name() {
        return gpu != null ? "cuda" : backend;
    }
}
