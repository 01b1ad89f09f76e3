package org.jdarknet.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.jdarknet.UsageException;
import org.junit.jupiter.api.Test;

/** Detection on this machine: without a GPU the answer is a reason naming what is missing, and nothing crashes. */
class CudaAvailabilityTest {

    @Test
    void theAnswerNamesTheMissingDriverOrGpuOrReportsDevices() {
        Optional<String> reason = CudaAvailability.unavailableReason();
        if (reason.isPresent()) {
            String text = reason.get();
            System.err.println("CudaAvailabilityTest: this machine has no usable GPU: " + text);
            assertTrue(text.startsWith("no GPU") || text.startsWith("no usable GPU"), text);
            assertTrue(text.contains("libcuda.so.1") || text.contains("driver") || text.contains("cudaGetDeviceCount")
                    || text.contains("CUDA librar"), text);
            assertEquals(0, CudaAvailability.deviceCount());
        } else {
            assertTrue(CudaAvailability.deviceCount() > 0);
        }
    }

    @Test
    void askingAgainGivesTheSameAnswerAndNoLinkageError() {
        assertEquals(CudaAvailability.unavailableReason(), CudaAvailability.unavailableReason());
    }

    @Test
    void aGpuBeyondTheOnesFoundIsRefusedByNumber() {
        int beyond = CudaAvailability.deviceCount() + 3;
        String text = CudaAvailability.unavailableReason(beyond).orElseThrow();
        if (CudaAvailability.unavailableReason().isEmpty()) {
            assertTrue(text.startsWith("there is no GPU " + beyond + ": "), text);
        }
    }

    @Test
    void theBackendRefusesToStartWithTheReason() {
        Optional<String> reason = CudaAvailability.unavailableReason();
        if (reason.isPresent()) {
            UsageException e = assertThrows(UsageException.class, () -> new CudaBackend(0));
            assertEquals("the cuda backend cannot run here: " + reason.get(), e.getMessage());
        }
    }

    @Test
    void gpuCountsInWords() {
        assertEquals("no GPU is found", CudaAvailability.found(0));
        assertEquals("only GPU 0 is found", CudaAvailability.found(1));
        assertEquals("4 GPUs are found, 0 to 3", CudaAvailability.found(4));
    }
}
