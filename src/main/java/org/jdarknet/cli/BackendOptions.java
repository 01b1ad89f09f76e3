package org.jdarknet.cli;

import org.jdarknet.Log;
import org.jdarknet.UsageException;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.Backends;
import org.jdarknet.backend.Precision;
import picocli.CommandLine.Option;

/** {@code --backend} and {@code --threads}, shared by every command that computes. */
final class BackendOptions {
    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "auto",
            description = "Where to compute: auto (the fastest here: a GPU when one is usable), reference, cpu, cuda "
                    + "(GPU 0; cuda:N for GPU N) (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "CPU threads (default: one per core).")
    int threads;

    @Option(names = "-gpu", paramLabel = "N", hidden = true,
            description = "Darknet's spelling for the cuda backend on GPU N.")
    Integer gpu;

    Backend create() {
        return create(Precision.FP32);
    }

    /** The backend named, computing in {@code precision} (only the cpu backend has more than fp32). */
    Backend create(Precision precision) {
        return create(gpu != null ? Backends.cuda(gpu) : backend, precision);
    }

    /** The cuda backend on GPU {@code device}, whatever {@code --backend} says (darknet's {@code -gpus}). */
    Backend createOnGpu(int device) {
        return create(Backends.cuda(device), Precision.FP32);
    }

    private Backend create(String name, Precision precision) {
        if (threads < 0) {
            throw new UsageException("--threads must be 0 (one per core) or more, found " + threads);
        }
        Backend created = Backends.create(name, threads, precision);
        if (Log.verbose()) { // the cpu backend asks oneDNN for its version
            Log.detail("backend: " + created.description());
        }
        return created;
    }
}
