package org.jdarknet.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Grids for grid-stride kernels: enough threads for small tensors, a few waves for large ones, never empty. */
class LaunchGeometryTest {

    @Test
    void smallTensorsGetOneThreadPerValueRoundedUpToBlocks() {
        assertEquals(new LaunchGeometry(1, 256), LaunchGeometry.forElements(1, 132));
        assertEquals(new LaunchGeometry(1, 256), LaunchGeometry.forElements(256, 132));
        assertEquals(new LaunchGeometry(2, 256), LaunchGeometry.forElements(257, 132));
    }

    @Test
    void largeTensorsAreCappedAtWavesOfTheMultiprocessors() {
        LaunchGeometry huge = LaunchGeometry.forElements(64L * 256 * 112 * 112, 132);
        assertEquals(132 * LaunchGeometry.BLOCKS_PER_MULTIPROCESSOR, huge.blocks());
        assertTrue(huge.blocks() <= 65535, "within the ABI's suggested grid bound");
    }

    @Test
    void nothingToDoStillLaunchesAValidGrid() {
        assertEquals(new LaunchGeometry(1, 256), LaunchGeometry.forElements(0, 0));
    }
}
