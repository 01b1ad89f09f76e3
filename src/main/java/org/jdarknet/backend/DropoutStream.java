package org.jdarknet.backend;

/**
 * The random numbers behind training-time dropout, which every backend must reproduce exactly so
 * that a network trained on one backend drops the same values on another for the same seed.
 *
 * <p>Value {@code i} of a tensor (its index in logical NCHW order, {@code ((n*C + c)*H + y)*W + x})
 * draws {@link #uniform uniform(seed, i)}: the {@code (i+1)}-th double of
 * {@code java.util.SplittableRandom(seed)}, rounded to float. That generator is counter based
 * (SplitMix64): the draw is a function of the seed and the index alone,
 * {@code mix64(seed + (i+1)·γ)} with {@code γ = 0x9e3779b97f4a7c15}, its top 53 bits scaled
 * to {@code [0, 1)}, so a GPU kernel can compute each element's draw on its own thread
 * (64-bit wrapping multiplies and unsigned shifts). The float rounding can give exactly 1.0.
 *
 * <p>A value is dropped (set to 0) when its draw is below the probability {@code p}; the others
 * are multiplied by {@link #keptScale keptScale(p)}. The mask tensor holds the draws, and backward
 * applies the same rule to the delta.
 */
public final class DropoutStream {
    /** SplitMix64's increment, the golden ratio's fraction in 64 bits (also SplittableRandom's default). */
    private static final long GAMMA = 0x9e3779b97f4a7c15L;

    private DropoutStream() {
    }

    /** The draw of the value at logical NCHW index {@code index} for {@code seed}, in {@code [0, 1]}. */
    public static float uniform(long seed, long index) {
        return (float) ((mix64(seed + (index + 1) * GAMMA) >>> 11) * 0x1.0p-53);
    }

    /** Whether a value whose draw is {@code drawn} is dropped at probability {@code probability}. */
    public static boolean dropped(float drawn, float probability) {
        return drawn < probability;
    }

    /** What kept values are multiplied by, {@code 1/(1-probability)} in double rounded to float, as darknet does. */
    public static float keptScale(float probability) {
        return (float) (1. / (1. - probability));
    }

    /** Stafford's "Mix13" finaliser, SplitMix64's output function. */
    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
