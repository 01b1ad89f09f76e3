package org.jdarknet.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The dropout stream, computed per value from the seed and index alone, is the JDK's sequential SplittableRandom. */
class DropoutStreamTest {

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 77, -5, Long.MAX_VALUE, 0x9e3779b97f4a7c15L})
    void eachDrawIsTheJdksSequentialDraw(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < 100_000; i++) {
            float expected = (float) random.nextDouble();
            assertEquals(expected, DropoutStream.uniform(seed, i), "seed " + seed + ", value " + i);
        }
    }
}
