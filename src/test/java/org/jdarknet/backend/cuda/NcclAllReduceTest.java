package org.jdarknet.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.jdarknet.UsageException;
import org.junit.jupiter.api.Test;

/**
 * What of the NCCL all-reduce runs without a GPU: detection answers with a reason and never crashes
 * the JVM, a reduction asked for anyway is a one-line error, and the pure parts (the device list,
 * the version gate) follow NCCL's rules. The collectives themselves need two GPUs.
 */
class NcclAllReduceTest {

    @Test
    void detectionNamesWhatIsMissingAndAsksOnce() {
        Optional<String> reason = NcclAllReduce.unavailableReason();
        assertEquals(reason, NcclAllReduce.unavailableReason());
        if (reason.isEmpty()) {
            assertTrue(CudaAvailability.unavailableReason().isEmpty(), "NCCL without a usable CUDA backend");
            return;
        }
        String text = reason.get();
        System.err.println("NcclAllReduceTest: NCCL cannot run here: " + text);
        assertFalse(text.isBlank());
        assertTrue(text.startsWith("no GPU") || text.startsWith("no usable GPU") || text.startsWith("NCCL "), text);
        Optional<String> cuda = CudaAvailability.unavailableReason();
        if (cuda.isPresent()) {
            assertTrue(text.equals(cuda.get()) || text.contains("libnccl.so"), text);
        } else {
            assertTrue(text.contains("libnccl") || text.startsWith("NCCL "), text);
        }
    }

    @Test
    void aReductionWhereNcclCannotRunIsAOneLineError() {
        Optional<String> reason = NcclAllReduce.unavailableReason();
        if (reason.isPresent()) {
            UsageException e = assertThrows(UsageException.class, () -> NcclAllReduce.factory().over(List.of()));
            assertEquals("NCCL cannot run here: " + reason.get(), e.getMessage());
        }
    }

    @Test
    void theDeviceListIsTheReplicasGpusInRankOrder() {
        assertArrayEquals(new int[] {2, 0, 1}, NcclAllReduce.deviceList(List.of(2, 0, 1)));
        assertArrayEquals(new int[] {5}, NcclAllReduce.deviceList(List.of(5)));
    }

    @Test
    void twoReplicasOnOneGpuAreRefusedInWords() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NcclAllReduce.deviceList(List.of(0, 1, 1)));
        assertEquals("NCCL needs one GPU per replica; GPU 1 holds two", e.getMessage());
    }

    @Test
    void versionsBefore2Point10LackAverageAndAreNamed() {
        assertNull(NcclAllReduce.versionProblem(22903)); // 2.29.3, the bindings' own
        assertNull(NcclAllReduce.versionProblem(21000)); // 2.10.0, the first with ncclAvg
        assertEquals("NCCL 2.9.9 is older than 2.10, the first with ncclAvg", NcclAllReduce.versionProblem(20909));
        assertEquals("NCCL 2.8.4 is older than 2.10, the first with ncclAvg", NcclAllReduce.versionProblem(2804));
    }

    @Test
    void versionCodesInBothOfNcclsEncodings() {
        assertEquals("2.29.3", NcclAllReduce.versionText(22903));
        assertEquals("2.21.5", NcclAllReduce.versionText(22105));
        assertEquals("2.7.8", NcclAllReduce.versionText(2708));
    }
}
