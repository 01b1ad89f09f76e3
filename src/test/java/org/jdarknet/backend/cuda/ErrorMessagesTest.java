package org.jdarknet.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What a failed call says: the call, the status by name and number, what was being done. */
class ErrorMessagesTest {

    @Test
    void aFailureNamesTheCallTheStatusAndTheContext() {
        assertEquals("cudnnConvolutionForward failed for convolution 1x3x224x224 -> 16 filters 3x3/1 pad 1: "
                        + "CUDNN_STATUS_BAD_PARAM (2000)",
                ErrorMessages.failure("cudnnConvolutionForward", 2000, "CUDNN_STATUS_BAD_PARAM",
                        "convolution 1x3x224x224 -> 16 filters 3x3/1 pad 1"));
        assertEquals("cuLaunchKernel(jd_fill) failed: status (719)", ErrorMessages.failure("cuLaunchKernel(jd_fill)", 719, null, null));
    }

    @Test
    void outOfMemorySaysHowMuchAndWhatToChange() {
        assertEquals("out of GPU memory: cudaMalloc needed 1.5 GiB for a 64x256x112x112 tensor with 512.0 MiB free of 80.0 GiB; "
                        + "raise subdivisions or lower batch in the cfg's [net] section",
                ErrorMessages.outOfMemory("cudaMalloc", 3L << 29, 1L << 29, 80L << 30, "a 64x256x112x112 tensor"));
        assertEquals("out of GPU memory: cudaMalloc needed 100 B; raise subdivisions or lower batch in the cfg's [net] section",
                ErrorMessages.outOfMemory("cudaMalloc", 100, -1, -1, null));
    }

    @Test
    void byteCountsForPeople() {
        assertEquals("1023 B", ErrorMessages.bytes(1023));
        assertEquals("1.0 KiB", ErrorMessages.bytes(1024));
        assertEquals("3.5 MiB", ErrorMessages.bytes(7L << 19));
        assertEquals("2.0 TiB", ErrorMessages.bytes(2L << 40));
    }
}
