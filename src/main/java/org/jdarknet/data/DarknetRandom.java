package org.jdarknet.data;

import java.util.function.IntSupplier;
import java.util.random.RandomGenerator;

/**
 * Darknet's random helpers ({@code rand_uniform}, {@code rand_scale}, {@code rand_int} and
 * {@code rand()%2}) over a source of C {@code rand()} values in [0, RAND_MAX]. Keeping darknet's
 * float arithmetic and its order of draws lets a test feed glibc's {@code rand()} sequence and
 * get darknet's exact augmentation; in training the source is a seedable Java generator.
 */
public final class DarknetRandom {
    /** glibc's RAND_MAX; darknet divides by it as a float, so 1.0 can be drawn. */
    static final int RAND_MAX = Integer.MAX_VALUE;

    private final IntSupplier rand;

    public DarknetRandom(RandomGenerator generator) {
        this(() -> generator.nextInt() >>> 1);
    }

    /** {@code rand} returns values in [0, RAND_MAX], as C's {@code rand()} does. */
    DarknetRandom(IntSupplier rand) {
        this.rand = rand;
    }

    /** Uniform in [min, max] (bounds in either order), float arithmetic as darknet's. */
    public float uniform(float min, float max) {
        if (max < min) {
            float swap = min;
            min = max;
            max = swap;
        }
        return ((float) rand.getAsInt() / RAND_MAX * (max - min)) + min;
    }

    /** A factor between 1 and {@code s}, or its reciprocal, each half of the time. */
    public float scale(float s) {
        float scale = uniform(1, s);
        return coin() ? scale : (float) (1.0 / scale);
    }

    /** An integer in [min, max] (bounds in either order). */
    public int integer(int min, int max) {
        if (max < min) {
            int swap = min;
            min = max;
            max = swap;
        }
        return rand.getAsInt() % (max - min + 1) + min;
    }

    /** Darknet's {@code rand()%2}: true half of the time. */
    public boolean coin() {
        return rand.getAsInt() % 2 != 0;
    }
}
