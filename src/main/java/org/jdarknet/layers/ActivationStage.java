package org.jdarknet.layers;

import org.jdarknet.backend.Activation;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.Epilogue;
import org.jdarknet.backend.Shape;
import org.jdarknet.backend.Tensor;

/**
 * A layer's activation while training: applied in place, keeping the input when the activation's
 * gradient needs it (mish, swish, gelu, hard_mish), then back through it.
 */
final class ActivationStage {
    private final Activation activation;
    private final Epilogue epilogue;
    private final Tensor input;

    ActivationStage(BuildContext context, Activation activation, Shape shape) {
        this.activation = activation;
        this.epilogue = Epilogue.activation(activation);
        this.input = activation.gradientNeedsInput() ? context.trainingTensor(shape) : null;
    }

    Activation activation() {
        return activation;
    }

    /** The tensor kept for the gradient, or null; its owner releases it. */
    Tensor kept() {
        return input;
    }

    void forward(Backend backend, Tensor values) {
        if (activation == Activation.LINEAR) {
            return;
        }
        if (input != null) {
            backend.copy(values, input);
        }
        backend.apply(epilogue, values);
    }

    /** {@code delta *= activation'(output)}. */
    void backward(Backend backend, Tensor output, Tensor delta) {
        backend.activationGradient(activation, input, output, delta);
    }
}
