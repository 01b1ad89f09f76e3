package org.jdarknet.backend.cuda;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bytedeco.cuda.global.nccl;
import org.bytedeco.cuda.nccl.ncclComm;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.jdarknet.UsageException;
import org.jdarknet.train.parallel.AllReduce;
import org.jdarknet.train.parallel.Slab;

/**
 * {@link AllReduce} between replicas on GPUs through NCCL, the slabs never leaving the devices:
 * one communicator per replica's GPU ({@code ncclCommInitAll} over the replicas' GPUs, replica
 * {@code r} being rank {@code r}), and per call one collective per tensor, in place, each queued on
 * its GPU's own stream, all of them inside one {@code ncclGroupStart}/{@code ncclGroupEnd} (one
 * thread drives every GPU). Each stream orders them after the gradients it computed and before the
 * update it runs next, so nothing waits on the host.
 *
 * <p>The contract is the host reduction's: the slabs' tensors, all of them, become the
 * element-wise mean over the replicas ({@code ncclAllReduce} with {@code ncclAvg}), or replica 0's
 * values ({@code ncclBroadcast} from rank 0), and every replica receives the same floats. Only the
 * summation order differs: NCCL chooses it (a ring or a tree over the GPUs, depending on their
 * links; for floats {@code ncclAvg} scales each contribution by {@code 1/N} before summing), so a
 * result may differ from the host reduction's in its last bits.
 *
 * <p>Only long-standing NCCL calls are made (all in NCCL 2.10, the first with {@code ncclAvg}):
 * the bindings are for 2.29, and calling a function the installed library lacks kills the JVM.
 */
public final class NcclAllReduce implements AllReduce {
    /** {@code NCCL_VERSION(2, 10, 0)}: {@code ncclAvg} arrived in 2.10. */
    static final int FIRST_WITH_AVERAGE = 21000;

    private final List<Gpu> gpus = new ArrayList<>();
    private final List<List<DeviceTensor>> tensors = new ArrayList<>();
    private final List<ncclComm> communicators = new ArrayList<>();

    /** Why NCCL cannot be used here, asked once: the first touch of its bindings decides. */
    private static final class Availability {
        static final String PROBLEM = probe();
    }

    /** Prepares NCCL communicators for {@code slabs}, replica 0's first, each on a cuda backend of its own GPU. */
    public NcclAllReduce(List<Slab> slabs) {
        Optional<String> problem = unavailableReason();
        if (problem.isPresent()) {
            throw new UsageException("NCCL cannot run here: " + problem.get());
        }
        Slab.requireSameLayout(slabs);
        for (Slab slab : slabs) {
            gpus.add(backendOf(slab).gpu());
            tensors.add(slab.tensors().stream().map(DeviceTensor::of).toList());
        }
        int[] devices = deviceList(gpus.stream().map(Gpu::ordinal).toList());
        try (PointerPointer<ncclComm> handles = new PointerPointer<>(devices.length)) {
            Check.nccl(nccl.ncclCommInitAll(handles, devices.length, devices), "ncclCommInitAll",
                    "GPUs " + gpus.stream().map(gpu -> String.valueOf(gpu.ordinal())).toList());
            for (int rank = 0; rank < devices.length; rank++) {
                communicators.add(handles.get(ncclComm.class, rank));
            }
        } finally {
            Gpu.forgetCurrent();
        }
    }

    /** The factory {@code -gpus} uses when {@link #unavailableReason()} is empty. */
    public static AllReduce.Factory factory() {
        return NcclAllReduce::new;
    }

    /**
     * Why NCCL cannot reduce here (the CUDA backend cannot run, {@code libnccl.so.2} does not
     * load, or it is older than 2.10), or empty when it can. Never throws.
     */
    public static Optional<String> unavailableReason() {
        return Optional.ofNullable(Availability.PROBLEM);
    }

    @Override
    public void average() {
        group("ncclAllReduce", (memory, count, rank) ->
                nccl.ncclAllReduce(memory, memory, count, nccl.ncclFloat, nccl.ncclAvg, communicators.get(rank),
                        gpus.get(rank).stream()));
    }

    @Override
    public void broadcast() {
        group("ncclBroadcast", (memory, count, rank) ->
                nccl.ncclBroadcast(memory, memory, count, nccl.ncclFloat, 0, communicators.get(rank),
                        gpus.get(rank).stream()));
    }

    /** One NCCL collective on one rank's tensor, in place; returns NCCL's status. */
    @FunctionalInterface
    private interface Collective {
        int enqueue(Pointer memory, long count, int rank);
    }

    /** Queues {@code collective} on every rank's every tensor, as one group. */
    private void group(String call, Collective collective) {
        Check.nccl(nccl.ncclGroupStart(), "ncclGroupStart", call);
        try {
            for (int rank = 0; rank < gpus.size(); rank++) {
                List<DeviceTensor> slab = tensors.get(rank);
                for (int t = 0; t < slab.size(); t++) {
                    DeviceTensor tensor = slab.get(t);
                    Check.nccl(collective.enqueue(tensor.memory(), tensor.shape().size(), rank), call,
                            "tensor " + t + " " + tensor.shape() + " of replica " + rank + " on GPU " + gpus.get(rank).ordinal());
                }
            }
            Check.nccl(nccl.ncclGroupEnd(), "ncclGroupEnd", call);
        } finally {
            Gpu.forgetCurrent();
        }
    }

    /** Waits for the queued collectives, then frees the communicators (the slabs stay). */
    @Override
    public void close() {
        for (Gpu gpu : gpus) {
            gpu.synchronize("finishing NCCL's collectives");
        }
        try {
            for (ncclComm communicator : communicators) {
                Check.nccl(nccl.ncclCommDestroy(communicator), "ncclCommDestroy", null);
            }
        } finally {
            communicators.clear();
            Gpu.forgetCurrent();
        }
    }

    private static CudaBackend backendOf(Slab slab) {
        if (slab.backend() instanceof CudaBackend cuda) {
            return cuda;
        }
        throw new IllegalArgumentException("NCCL reduces tensors of the cuda backend, not of " + slab.backend().name());
    }

    /**
     * The replicas' GPUs as {@code ncclCommInitAll}'s device list, rank by rank; NCCL refuses two
     * ranks on one GPU, so a GPU named twice is refused here, in words.
     */
    static int[] deviceList(List<Integer> ordinals) {
        Set<Integer> seen = new HashSet<>();
        for (int ordinal : ordinals) {
            if (!seen.add(ordinal)) {
                throw new IllegalArgumentException("NCCL needs one GPU per replica; GPU " + ordinal + " holds two");
            }
        }
        return ordinals.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Why NCCL of version code {@code code} ({@code ncclGetVersion}'s) cannot average, or null:
     * only those before 2.10 lack {@code ncclAvg}.
     */
    static String versionProblem(int code) {
        return code >= FIRST_WITH_AVERAGE ? null
                : "NCCL " + versionText(code) + " is older than 2.10, the first with ncclAvg";
    }

    /** {@code ncclGetVersion}'s code in words: {@code X*10000+Y*100+Z} from 2.9 on, {@code X*1000+Y*100+Z} before. */
    static String versionText(int code) {
        int major = code >= 10000 ? code / 10000 : code / 1000;
        int minor = code >= 10000 ? code % 10000 / 100 : code % 1000 / 100;
        return major + "." + minor + "." + code % 100;
    }

    /**
     * Asks CUDA first (it must be the first to touch the bindings), then loads NCCL, whatever CUDA
     * answered, so that a missing {@code libnccl.so.2} is named even where no GPU is; where CUDA
     * itself did not load, CUDA's reason is the one given.
     */
    private static String probe() {
        Optional<String> cuda = CudaAvailability.unavailableReason();
        try {
            Loader.load(nccl.class);
        } catch (Throwable missing) { // UnsatisfiedLinkError, NoClassDefFoundError
            String problem = NativeProblem.describe(missing);
            return cuda.isPresent() && !problem.contains("libnccl") ? cuda.get() : problem;
        }
        if (cuda.isPresent()) {
            return cuda.get();
        }
        int[] version = new int[1];
        int status = nccl.ncclGetVersion(version);
        if (status != nccl.ncclSuccess) {
            return "ncclGetVersion failed: " + nccl.ncclGetErrorString(status).getString() + " (" + status + ")";
        }
        return versionProblem(version[0]);
    }
}
