package org.jdarknet.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.jdarknet.UsageException;
import org.jdarknet.backend.Backend;
import org.jdarknet.train.parallel.AllReduce;
import org.jdarknet.train.parallel.SyncScheme;
import picocli.CommandLine.Option;

/** Training on several replicas of the network: darknet's {@code -gpus}, or {@code --replicas} on the CPU. */
final class ReplicaOptions {
    @Option(names = "-gpus", paramLabel = "0,1,...",
            description = "Darknet's multi-GPU training: one replica per GPU, each on its share of every batch."
                    + " Gradients are averaged through the host for now; --replicas does the same on the CPU.")
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

    /**
     * One backend per replica: a cuda backend per GPU of {@code -gpus}, else {@code --replicas}
     * backends as {@code backendOptions} says; a one-line error for what cannot be. Replicas on
     * GPUs are reduced through the host for now (an NCCL all-reduce is still to come).
     */
    ReplicaBackends create(BackendOptions backendOptions) {
        SyncScheme scheme = SyncScheme.byName(sync);
        if (gpus != null) {
            GpuList devices = GpuList.parse(gpus);
            try {
                return createEach(devices.devices().size(), r -> backendOptions.createOnGpu(devices.devices().get(r)),
                        scheme);
            } catch (UsageException e) {
                throw new UsageException("-gpus " + devices.spelling() + ": " + e.getMessage() + "; --replicas "
                        + devices.devices().size() + " trains as many replicas on the CPU");
            }
        }
        if (replicas < 1) {
            throw new UsageException("--replicas must be at least 1, not " + replicas);
        }
        return createEach(replicas, r -> backendOptions.create(), scheme);
    }

    private static ReplicaBackends createEach(int count, IntFunction<Backend> create, SyncScheme scheme) {
        List<Backend> backends = new ArrayList<>();
        try {
            for (int r = 0; r < count; r++) {
                backends.add(create.apply(r));
            }
        } catch (RuntimeException e) {
            backends.forEach(Backend::close);
            throw e;
        }
        return new ReplicaBackends(backends, scheme, AllReduce.host());
    }
}
