package org.jdarknet.data;

import java.util.function.IntSupplier;

/**
 * glibc's {@code srand}/{@code rand()} (the additive feedback generator of {@code random_r}),
 * so that tests can replay the exact random draws the C darknet made for a seed.
 */
public final class GlibcRand implements IntSupplier {
    private static final int DEGREE = 34;
    private static final int DISCARD = 310;

    private final int[] ring = new int[DEGREE];
    private int next;

    public GlibcRand(int seed) {
        ring[0] = seed == 0 ? 1 : seed;
        for (int i = 1; i < 31; i++) {
            ring[i] = (int) ((16807L * ring[i - 1]) % Integer.MAX_VALUE);
            if (ring[i] < 0) {
                ring[i] += Integer.MAX_VALUE;
            }
        }
        for (int i = 31; i < DEGREE; i++) {
            ring[i] = ring[i - 31];
        }
        for (int i = 0; i < DISCARD; i++) {
            step();
        }
    }

    /** r[i] = r[i-31] + r[i-3] (mod 2^32), over a ring of the last 34 values. */
    private int step() {
        int value = ring[(next + DEGREE - 31) % DEGREE] + ring[(next + DEGREE - 3) % DEGREE];
        ring[next] = value;
        next = (next + 1) % DEGREE;
        return value;
    }

    @Override
    public int getAsInt() {
        return step() >>> 1;
    }
}
