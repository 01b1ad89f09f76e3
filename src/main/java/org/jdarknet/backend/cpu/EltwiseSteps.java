package org.jdarknet.backend.cpu;

import java.util.List;
import java.util.Objects;
import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.post_ops;
import org.jdarknet.backend.Activation;

/**
 * Darknet's activations as chains of oneDNN eltwise operations, which primitives can apply as
 * post-ops while their output is still in registers. Each chain computes the activation's formula
 * (in float, where darknet mostly rounds a double once); activations without such a chain run as a
 * Java pass ({@link JavaActivation}).
 */
final class EltwiseSteps {

    /** One eltwise operation: {@code algorithm} with its two parameters (see oneDNN's eltwise). */
    record Step(algorithm algorithm, float alpha, float beta) {
        static Step of(algorithm algorithm) {
            return new Step(algorithm, 0, 0);
        }

        // Written out, not generated: see Shape#equals.
        @Override
        public boolean equals(Object other) {
            return other instanceof Step step && algorithm == step.algorithm && Float.compare(alpha, step.alpha) == 0
                    && Float.compare(beta, step.beta) == 0;
        }

        @Override
        public int hashCode() {
            return Objects.hash(algorithm, alpha, beta);
        }
    }

    private EltwiseSteps() {
    }

    /** The chain computing {@code activation}; empty for linear; null when it must run in Java. */
    static List<Step> of(Activation activation) {
        return switch (activation) {
            case LINEAR -> List.of();
            case LOGISTIC -> List.of(Step.of(algorithm.eltwise_logistic));
            // 2/(1 + e^-x) - 1 is tanh(x/2).
            case LOGGY -> List.of(new Step(algorithm.eltwise_linear, 0.5f, 0), Step.of(algorithm.eltwise_tanh));
            case RELU -> List.of(Step.of(algorithm.eltwise_relu));
            case LEAKY -> List.of(new Step(algorithm.eltwise_relu, 0.1f, 0));
            case RELIE -> List.of(new Step(algorithm.eltwise_relu, 0.01f, 0));
            case ELU -> List.of(new Step(algorithm.eltwise_elu, 1, 0));
            case SELU -> List.of(new Step(algorithm.eltwise_elu, 1.6732f, 0), new Step(algorithm.eltwise_linear, 1.0507f, 0));
            case HARDTAN -> List.of(new Step(algorithm.eltwise_clip, -1, 1));
            case RELU6 -> List.of(new Step(algorithm.eltwise_clip, 0, 6));
            case TANH -> List.of(Step.of(algorithm.eltwise_tanh));
            case MISH -> List.of(Step.of(algorithm.eltwise_mish));
            case SWISH -> List.of(new Step(algorithm.eltwise_swish, 1, 0));
            // oneDNN's tanh approximation of gelu: darknet's constants are its coefficients rounded to 6 digits.
            case GELU -> List.of(Step.of(algorithm.eltwise_gelu_tanh));
            case PLSE, LHTAN, RAMP, STAIR, HARD_MISH -> null;
        };
    }

    /** Post-ops applying {@code steps} in order, after whatever {@code operations} already holds. */
    static post_ops append(post_ops operations, List<Step> steps) {
        for (Step step : steps) {
            operations.append_eltwise(step.algorithm(), step.alpha(), step.beta());
        }
        return operations;
    }
}
