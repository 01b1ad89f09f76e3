package org.jdarknet.cli;

import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Optional;
import org.jdarknet.backend.cuda.NcclAllReduce;
import org.jdarknet.train.parallel.AllReduce;
import org.junit.jupiter.api.Test;

/** How {@code -gpus} chooses its reduction: NCCL's when NCCL can run, else the host's. */
class ReplicaOptionsTest {
    private static final AllReduce.Factory NCCL = slabs -> {
        throw new AssertionError("not to be used");
    };

    @Test
    void ncclIsUsedWhenItCanRun() {
        assertSame(NCCL, ReplicaOptions.gpuReduction(Optional.empty(), NCCL));
    }

    @Test
    void theHostReducesWhenNcclCannot() {
        assertSame(AllReduce.host(), ReplicaOptions.gpuReduction(Optional.of("libnccl.so.2 is not found"), NCCL));
    }

    @Test
    void onThisMachineTheChoiceFollowsDetection() {
        AllReduce.Factory chosen = ReplicaOptions.gpuReduction(NcclAllReduce.unavailableReason(), NCCL);
        assertSame(NcclAllReduce.unavailableReason().isPresent() ? AllReduce.host() : NCCL, chosen);
    }
}
