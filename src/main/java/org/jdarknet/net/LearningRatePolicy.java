package org.jdarknet.net;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Darknet's learning-rate policies, by their cfg names ({@code policy=}). */
public enum LearningRatePolicy {
    CONSTANT, STEP, STEPS, EXP, POLY, SIGMOID, RANDOM, SGDR;

    public String cfgName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Null for an unknown name (darknet silently falls back to constant). */
    public static LearningRatePolicy byName(String name) {
        for (LearningRatePolicy policy : values()) {
            if (policy.cfgName().equals(name)) {
                return policy;
            }
        }
        return null;
    }

    public static String names() {
        return Arrays.stream(values()).map(LearningRatePolicy::cfgName).collect(Collectors.joining(", "));
    }
}
