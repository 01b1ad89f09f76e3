package org.jdarknet.cli;

import java.util.ArrayList;
import java.util.List;
import org.jdarknet.backend.Backend;
import org.jdarknet.train.parallel.AllReduce;
import org.jdarknet.train.parallel.SyncScheme;
import picocli.CommandLine.Option;

/** Training on several replicas of the network: darknet's {@code -gpus}, or {@code --replicas} on the CPU. */
final class ReplicaOptions {
    @Option(names = "-gpus", paramLabel = "0,1,...",
            description = "Darknet's multi-GPU training: one replica per GPU, each on its share of every batch."
                    + " This build has no CUDA backend and says so; --replicas does the same on the CPU.")
    String gpus;

    @Option(names = "--replicas", paramLabel = "N", defaultValue = "1",
            description = "Train N replicas of the network on the --backend (cpu or reference), kept in step as"
                    + " -gpus keeps GPUs: for testing multi-GPU training without GPUs; not faster (default: 1).")
    int replicas;

    @Option(names = "--replica-sync", paramLabel = "SCHEME", defaultValue = "allreduce",
            description = "How replicas keep in step: allreduce (one batch split among them, gradients averaged"
                    + " every step; default) or average (darknet's: a batch each, rate x N, weights averaged"
                    + " every 4 batches).")
    String sync;

    /** One backend per replica, created as {@code backendOptions} says; a one-line error for what cannot be. */
    ReplicaBackends create(BackendOptions backendOptions) {
        SyncScheme scheme = SyncScheme.byName(sync);
        if (gpus != null) {
            GpuList devices = GpuList.parse(gpus);
            throw new IllegalArgumentException("-gpus " + devices.spelling() + ": GPUs are not available: this build of"
                    + " jdarknet has no CUDA backend; --replicas " + devices.devices().size()
                    + " trains as many replicas on the CPU");
        }
        if (replicas < 1) {
            throw new IllegalArgumentException("--replicas must be at least 1, not " + replicas);
        }
        List<Backend> backends = new ArrayList<>();
        try {
            for (int r = 0; r < replicas; r++) {
                backends.add(backendOptions.create());
            }
        } catch (RuntimeException e) {
            backends.forEach(Backend::close);
            throw e;
        }
        return new ReplicaBackends(backends, scheme, AllReduce.host());
    }
}
