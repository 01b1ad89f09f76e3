package org.jdarknet.net;

import org.jdarknet.Text;
import org.jdarknet.cfg.CfgSection;

/**
 * Darknet's SGD settings from {@code [net]}: momentum, weight decay and the learning-rate schedule.
 * Defaults are darknet's.
 */
public record SolverConfig(float learningRate, float momentum, float decay, LearningRatePolicy policy,
                           int burnIn, float power, int step, float scale, int[] steps, float[] scales,
                           float gamma, int maxBatches, float learningRateMin, int sgdrCycle, int sgdrMultiplier) {

    static SolverConfig parse(CfgSection net) {
        String policyName = net.getString("policy", "constant");
        LearningRatePolicy policy = LearningRatePolicy.byName(policyName);
        if (policy == null) {
            throw net.error("policy", "unknown policy '" + Text.excerpt(policyName) + "'; known: " + LearningRatePolicy.names());
        }
        float learningRate = net.getFloat("learning_rate", .001f);
        int burnIn = net.getInt("burn_in", 0);
        float power = net.getFloat("power", 4);
        int maxBatches = net.getInt("max_batches", 0);
        int step = 1;
        float scale = 1;
        int[] steps = new int[0];
        float[] scales = new float[0];
        float gamma = 1;
        switch (policy) {
            case STEP -> {
                step = net.getInt("step", 1);
                scale = net.getFloat("scale", 1);
            }
            case STEPS -> {
                steps = net.getIntList("steps");
                scales = net.getFloatList("scales");
                if (steps.length == 0 || scales.length == 0) {
                    throw net.error(steps.length == 0 ? "steps" : "scales", "policy=steps needs both steps= and scales=");
                }
                if (steps.length != scales.length) {
                    throw net.error("scales", steps.length + " steps but " + scales.length + " scales");
                }
            }
            case EXP -> gamma = net.getFloat("gamma", 1);
            case SIGMOID -> {
                gamma = net.getFloat("gamma", 1);
                step = net.getInt("step", 1);
            }
            default -> {
            }
        }
        if ((policy == LearningRatePolicy.STEP || policy == LearningRatePolicy.SIGMOID) && step < 1) {
            throw net.error("step", "must be at least 1");
        }
        return new SolverConfig(learningRate, net.getFloat("momentum", .9f), net.getFloat("decay", .0001f), policy,
                burnIn, power, step, scale, steps, scales, gamma, maxBatches,
                net.getFloat("learning_rate_min", .00001f), net.getInt("sgdr_cycle", maxBatches), net.getInt("sgdr_mult", 2));
    }
}
