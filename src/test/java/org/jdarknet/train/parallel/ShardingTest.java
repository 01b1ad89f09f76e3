package org.jdarknet.train.parallel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.jdarknet.data.Batch;
import org.junit.jupiter.api.Test;

/** Replica r gets the r-th contiguous run of images and their truth; uneven shares are refused. */
class ShardingTest {

    @Test
    void replicaRGetsTheRthContiguousSlice() {
        Batch batch = ReplicaFixture.batch(new SplittableRandom(1), 6);
        Sharding sharding = Sharding.even(6, 3, "the batch");
        assertEquals(2, sharding.shardSize());
        int image = batch.imageLength();
        int classes = ReplicaFixture.CLASSES;
        for (int r = 0; r < 3; r++) {
            assertArrayEquals(Arrays.copyOfRange(batch.images(), 2 * r * image, 2 * (r + 1) * image),
                    remaining(sharding.images(batch, r)), "images of replica " + r);
            assertArrayEquals(Arrays.copyOfRange(batch.truth(), 2 * r * classes, 2 * (r + 1) * classes),
                    remaining(sharding.truth(batch, r)), "truth of replica " + r);
        }
    }

    @Test
    void anUnevenShareIsAOneLineError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sharding.even(6, 4, "x.cfg: batch"));
        assertEquals("x.cfg: batch has 6 images, which 4 replicas cannot share evenly; make it a multiple of 4", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Sharding.even(6, 0, "x.cfg: batch"));
    }

    @Test
    void aBatchOfAnotherSizeIsRefused() {
        Batch batch = ReplicaFixture.batch(new SplittableRandom(1), 4);
        assertThrows(IllegalArgumentException.class, () -> Sharding.even(6, 2, "the batch").images(batch, 0));
    }

    private static float[] remaining(FloatBuffer buffer) {
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return values;
    }
}
