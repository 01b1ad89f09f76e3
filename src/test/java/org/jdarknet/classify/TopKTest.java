package org.jdarknet.classify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class TopKTest {

    /** Darknet's top_k: largest first; a value displaces another only when strictly greater. */
    @Test
    void topKInDarknetsOrder() {
        float[] values = {0.1f, 0.3f, 0.2f, 0.3f, 0.05f};
        assertArrayEquals(new int[] {1, 3, 2}, TopK.of(values, 3), "the tie keeps the lower index first");
        assertArrayEquals(new int[] {1, 3, 2, 0, 4}, TopK.of(values, 9), "k beyond the values: all of them");
    }
}
