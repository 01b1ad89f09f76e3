package org.jdarknet.train;

import java.util.random.RandomGenerator;
import org.jdarknet.net.SolverConfig;

/**
 * Darknet's learning rate for batch number {@code b} ({@code get_current_rate}): a warm-up of
 * {@code rate * (b/burn_in)^power} for the first {@code burn_in} batches, then the policy.
 */
public final class LearningRateSchedule {
    private final SolverConfig solver;
    private final RandomGenerator random;

    /** {@code random} serves the {@code random} policy only. */
    public LearningRateSchedule(SolverConfig solver, RandomGenerator random) {
        this.solver = solver;
        this.random = random;
    }

    public float rate(long batch) {
        float base = solver.learningRate();
        if (batch < solver.burnIn()) {
            return (float) (base * Math.pow((float) batch / solver.burnIn(), solver.power()));
        }
        return switch (solver.policy()) {
            case CONSTANT -> base;
            case STEP -> (float) (base * Math.pow(solver.scale(), batch / solver.step()));
            case STEPS -> steps(batch);
            case EXP -> (float) (base * Math.pow(solver.gamma(), batch));
            case POLY -> (float) (base * Math.pow(1 - (float) batch / solver.maxBatches(), solver.power()));
            case RANDOM -> (float) (base * Math.pow(random.nextFloat(), solver.power()));
            case SIGMOID -> (float) (base * (1. / (1. + Math.exp(solver.gamma() * batchesSinceStep(batch)))));
            case SGDR -> sgdr(batch);
        };
    }

    /**
     * {@code batch - step} as darknet computes it for the sigmoid, in unsigned 64-bit arithmetic
     * and then a float (it multiplies a float gamma): before {@code step} it wraps to nearly 2^64,
     * so the rate is 0 there for a positive gamma (the full rate for a negative one) rather than
     * the left half of the sigmoid.
     */
    private float batchesSinceStep(long batch) {
        long difference = batch - solver.step();
        return difference >= 0 ? difference : (float) (0x1p64 + difference);
    }

    /** The rate times each scale whose step has been reached. */
    private float steps(long batch) {
        float rate = solver.learningRate();
        for (int i = 0; i < solver.steps().length; i++) {
            if (solver.steps()[i] > batch) {
                return rate;
            }
            rate *= solver.scales()[i];
        }
        return rate;
    }

    /** AlexeyAB's cosine annealing with restarts, each cycle {@code sgdr_mult} times longer than the last. */
    private float sgdr(long batch) {
        long cycleStart = 0;
        long cycle = solver.sgdrCycle();
        while (cycleStart + cycle < batch) {
            cycleStart += cycle;
            cycle *= solver.sgdrMultiplier();
        }
        float minimum = solver.learningRateMin();
        return (float) (minimum + 0.5 * (solver.learningRate() - minimum)
                * (1. + Math.cos((float) (batch - cycleStart) * 3.14159265 / cycle)));
    }
}
