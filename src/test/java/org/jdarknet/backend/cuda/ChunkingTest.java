package org.jdarknet.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The split of batch-norm sums for the parallel kernels, and when it is used. */
class ChunkingTest {

    @Test
    void shortChannelsKeepTheExactOneThreadSums() {
        assertFalse(Chunking.parallel(8, 32 * 32), "8 x 32x32: 8192 values");
        assertFalse(Chunking.parallel(1, 128 * 128), "exactly the bound");
        assertTrue(Chunking.parallel(8, 64 * 64), "the first layers of GpuConformance's training steps");
        assertFalse(Chunking.parallel(8, 16 * 16), "their deeper layers");
    }

    @Test
    void chunksCoverEveryValueOfAPlane() {
        assertEquals(1, new Chunking(10, 1).chunks());
        assertEquals(1, new Chunking(10, Chunking.CHUNK).chunks());
        assertEquals(2, new Chunking(10, Chunking.CHUNK + 1).chunks());
        assertEquals(4, new Chunking(10, 128 * 128).chunks());
    }

    @Test
    void theScratchHoldsThreeDoublesPerChunk() {
        Chunking first = new Chunking(64 * 32, 256 * 256);
        assertEquals(64 * 32 * 16, first.chunkItems());
        assertEquals(3 * 64 * 32 * 16 * 2, first.scratchFloats());
    }
}
