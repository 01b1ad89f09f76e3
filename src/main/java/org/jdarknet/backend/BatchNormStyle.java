package org.jdarknet.backend;

/**
 * How batch normalisation divides by the standard deviation. The two darknet forks differ, and
 * weights trained with one give (slightly) different outputs with the other, so every model
 * says which fork it was trained with ({@code batchnorm_style=} in its {@code [net]} section).
 */
public enum BatchNormStyle {
    /** pjreddie/darknet: {@code (x - mean) / (sqrt(var) + 1e-6)}. */
    PJREDDIE,
    /** AlexeyAB/darknet: {@code (x - mean) / sqrt(var + 1e-5)}. */
    ALEXEYAB;

    private static final double PJREDDIE_EPSILON = 1e-6f;
    private static final float ALEXEYAB_EPSILON = 1e-5f;

    /**
     * The normalised value, with the forks' exact float/double arithmetic: both compute
     * {@code sqrt} and the division in double precision (C's {@code sqrt} returns a double).
     */
    public float normalize(float x, float mean, float variance) {
        float centred = x - mean;
        return switch (this) {
            case PJREDDIE -> (float) (centred / (Math.sqrt(variance) + PJREDDIE_EPSILON));
            case ALEXEYAB -> (float) (centred / Math.sqrt(variance + ALEXEYAB_EPSILON));
        };
    }

    /** The divisor this style uses for a variance: {@code sqrt(var) + 1e-6} or {@code sqrt(var + 1e-5)}. */
    public double divisor(float variance) {
        return switch (this) {
            case PJREDDIE -> Math.sqrt(variance) + PJREDDIE_EPSILON;
            case ALEXEYAB -> Math.sqrt(variance + ALEXEYAB_EPSILON);
        };
    }

    /** How the divisor changes with the variance, {@code d divisor / d var}, for backward. */
    public double divisorSlope(float variance) {
        return switch (this) {
            case PJREDDIE -> 0.5 / Math.max(Math.sqrt(variance), PJREDDIE_EPSILON);
            case ALEXEYAB -> 0.5 / Math.sqrt(variance + ALEXEYAB_EPSILON);
        };
    }

    /** {@code 1/stddev} as this style defines it, for backends that fold normalisation into a scale. */
    public double inverseStddev(float variance) {
        return switch (this) {
            case PJREDDIE -> 1.0 / (Math.sqrt(variance) + PJREDDIE_EPSILON);
            case ALEXEYAB -> 1.0 / Math.sqrt(variance + ALEXEYAB_EPSILON);
        };
    }
}
