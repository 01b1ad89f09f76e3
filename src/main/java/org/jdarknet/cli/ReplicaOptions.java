package org.jdarknet.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;
import org.jdarknet.Log;
import org.jdarknet.UsageException;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.cuda.NcclAllReduce;
import org.jdarknet.train.parallel.AllReduce;
import org.jdarknet.train.parallel.SyncScheme;
import picocli.CommandLine.Option;

/** Training on several replicas of the network: darknet's {@code -gpus}, or {@code --replicas} on the CPU. */
final class ReplicaOptions {
    @Option(names = "-gpus", paramLabel = "0,1,...",
            description = "Darknet's multi-GPU training: one replica per GPU, each on its share of every batch."
                    + " Gradients are averaged by NCCL when it loads, else through the host; --replicas does the"
                    + " same on the CPU.")
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
     * GPUs are reduced by NCCL when it can run here, else through the host.
     */
    ReplicaBackends create(BackendOptions backendOptions) {
        SyncScheme scheme = SyncScheme.byName(sync);
        if (gpus != null) {
            GpuList devices = GpuList.parse(gpus);
            try {
                List<Backend> backends = createEach(devices.devices().size(),
                        r -> backendOptions.createOnGpu(devices.devices().get(r)));
                AllReduce.Factory reduction = backends.size() > 1
                        ? gpuReduction(NcclAllReduce.unavailableReason(), NcclAllReduce.factory()) : AllReduce.host();
                return new ReplicaBackends(backends, scheme, reduction);
            } catch (UsageException e) {
                throw new UsageException("-gpus " + devices.spelling() + ": " + e.getMessage() + "; --replicas "
                        + devices.devices().size() + " trains as many replicas on the CPU");
            }
        }
        if (replicas < 1) {
            throw new UsageException("--replicas must be at least 1, not " + replicas);
        }
        return new ReplicaBackends(createEach(replicas, r -> backendOptions.create()), scheme, AllReduce.host());
    }

    /**
     * How replicas on GPUs are reduced: by {@code nccl} when {@code ncclProblem} is empty, else
     * through the host, saying why with {@code --verbose}.
     */
    static AllReduce.Factory gpuReduction(Optional<String> ncclProblem, AllReduce.Factory nccl) {
        if (ncclProblem.isEmpty()) {
            return nccl;
        }
        Log.detail("-gpus: replicas averaged through the host, not NCCL: " + ncclProblem.get());
        return AllReduce.host();
    }

    private static List<Backend> createEach(int count, IntFunction<Backend> create) {
        List<Backend> backends = new ArrayList<>();
        try {
            for (int r = 0; r < count; r++) {
                backends.add(create.apply(r));
            }
        } catch (RuntimeException e) {
            backends.forEach(Backend::close);
            throw e;
        }
        return backends;
    }
}
