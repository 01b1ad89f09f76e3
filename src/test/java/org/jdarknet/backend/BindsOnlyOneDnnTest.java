package org.jdarknet.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jdarknet.backend.cuda.CudaAvailability;
import org.junit.jupiter.api.Test;

/** When a process may stop JavaCPP re-checking oneDNN's libraries: only where no CUDA library can be bound later. */
class BindsOnlyOneDnnTest {

    @Test
    void onlyACommandThatCertainlyRunsTheCpuBackendBindsOnlyOneDnn() {
        assertTrue(Backends.bindsOnlyOneDnn("cpu", true));
        assertEquals(CudaAvailability.driverAbsence().isPresent(), Backends.bindsOnlyOneDnn("auto", true),
                "auto binds only oneDNN exactly where no NVIDIA driver is loaded");
        assertFalse(Backends.bindsOnlyOneDnn("cuda", true));
        assertFalse(Backends.bindsOnlyOneDnn("reference", true));
    }

    @Test
    void aCommandThatNamesAGpuOrSharesItsProcessNeverDoes() {
        assertFalse(Backends.bindsOnlyOneDnn("cpu", false));
        assertFalse(Backends.bindsOnlyOneDnn("auto", false));
    }
}
