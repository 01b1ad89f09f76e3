package org.jdarknet.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The algorithm taken from cuDNN's timings: fastest in FMA math within the workspace, never tensor-core math. */
class AlgorithmChoiceTest {
    private static final int OK = 0;
    private static final int NOT_SUPPORTED = 3000;
    private static final int DEFAULT_MATH = 0;
    private static final int TENSOR_OP_MATH = 1;
    private static final int FMA_MATH = 3;

    @Test
    void theFastestUsableAlgorithmIsTaken() {
        List<AlgorithmChoice.Candidate> timed = List.of(
                new AlgorithmChoice.Candidate(1, OK, 0.5f, 1000, FMA_MATH),
                new AlgorithmChoice.Candidate(6, OK, 0.2f, 4000, FMA_MATH),
                new AlgorithmChoice.Candidate(0, OK, 0.9f, 0, FMA_MATH));
        assertEquals(new AlgorithmChoice.Chosen(6, 4000, FMA_MATH), AlgorithmChoice.pick(timed, OK, FMA_MATH, 1 << 20, "c"));
    }

    @Test
    void tensorCoreMathFailuresAndOversizedWorkspacesAreSkipped() {
        List<AlgorithmChoice.Candidate> timed = List.of(
                new AlgorithmChoice.Candidate(7, OK, 0.01f, 0, TENSOR_OP_MATH),
                new AlgorithmChoice.Candidate(5, NOT_SUPPORTED, -1f, 0, FMA_MATH),
                new AlgorithmChoice.Candidate(4, OK, 0.02f, 2 << 20, FMA_MATH),
                new AlgorithmChoice.Candidate(2, OK, 0.03f, 0, DEFAULT_MATH),
                new AlgorithmChoice.Candidate(1, OK, 0.3f, 512, FMA_MATH));
        assertEquals(1, AlgorithmChoice.pick(timed, OK, FMA_MATH, 1 << 20, "c").algorithm());
    }

    @Test
    void noUsableAlgorithmIsAnErrorListingWhatCuDnnOffered() {
        List<AlgorithmChoice.Candidate> timed = List.of(new AlgorithmChoice.Candidate(7, OK, 0.01f, 0, TENSOR_OP_MATH));
        CudaException e = assertThrows(CudaException.class,
                () -> AlgorithmChoice.pick(timed, OK, FMA_MATH, 1 << 20, "convolution 1x3x8x8 -> 4 filters 3x3/1 pad 1 (forward)"));
        assertEquals("no cuDNN algorithm for convolution 1x3x8x8 -> 4 filters 3x3/1 pad 1 (forward) runs in fp32 FMA math within "
                + "1.0 MiB of workspace; cuDNN offered algorithm 7 (status 0, math 1, 0 B)", e.getMessage());
    }

    @Test
    void theWorkspaceLimitIsAnEighthOfTheFreeMemoryAtMostOneGiB() {
        assertEquals(1L << 30, AlgorithmChoice.workspaceLimit(140L << 30));
        assertEquals(1L << 27, AlgorithmChoice.workspaceLimit(1L << 30));
        assertEquals(0, AlgorithmChoice.workspaceLimit(-1));
        assertTrue(AlgorithmChoice.workspaceLimit(0) >= 0);
    }
}
