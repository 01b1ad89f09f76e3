package org.jdarknet.backend;

/** The losses of darknet's {@code [cost]} layer, by their cfg names. */
public enum CostFunction {
    /** {@code sse}: squared error, gradient {@code truth - prediction}. */
    SSE("sse"),
    /** {@code L1}: absolute error, gradient its sign. */
    L1("L1"),
    /** {@code smooth}: squared below an error of 1, linear above. */
    SMOOTH("smooth");

    private final String cfgName;

    CostFunction(String cfgName) {
        this.cfgName = cfgName;
    }

    public String cfgName() {
        return cfgName;
    }

    /** Null for names darknet has but jdarknet does not implement (masked, seg, wgan) or does not know. */
    public static CostFunction byName(String name) {
        for (CostFunction function : values()) {
            if (function.cfgName.equals(name)) {
                return function;
            }
        }
        return null;
    }

    /**
     * The error of one prediction and, through {@code delta[i]}, the direction that reduces it
     * (darknet's deltas point from the prediction towards the truth).
     */
    public float error(float prediction, float truth, float[] delta, int i) {
        float difference = truth - prediction;
        return switch (this) {
            case SSE -> {
                delta[i] = difference;
                yield difference * difference;
            }
            case L1 -> {
                delta[i] = difference > 0 ? 1 : -1;
                yield Math.abs(difference);
            }
            case SMOOTH -> {
                float magnitude = Math.abs(difference);
                if (magnitude < 1) {
                    delta[i] = difference;
                    yield difference * difference;
                }
                // darknet's smooth_l1_cpu has this sign inverted, which pushes large errors the wrong way.
                delta[i] = difference > 0 ? 1 : -1;
                yield 2 * magnitude - 1;
            }
        };
    }
}
