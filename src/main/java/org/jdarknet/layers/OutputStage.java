package org.jdarknet.layers;

import java.util.ArrayList;
import java.util.List;
import org.jdarknet.backend.Activation;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.Epilogue;
import org.jdarknet.backend.Shape;
import org.jdarknet.backend.Tensor;

/**
 * What darknet does after a convolution's or connected layer's matrix work: batch normalisation
 * (or nothing), the bias, the activation; forward at inference (one fused {@link Epilogue}), forward
 * while training, and back.
 */
final class OutputStage {
    private final Parameter biases;
    private final BatchNormParameters batchNorm;
    private final ActivationStage activation;
    private final Epilogue inference;
    private final Epilogue preActivation;
    private final Epilogue biasOnly;
    private final Epilogue biasAndActivation;

    OutputStage(BuildContext context, Shape output, Activation activation, boolean batchNormalize) {
        this.biases = context.learned("biases", Parameter.Kind.BIASES, Shape.vector(output.c()), Parameter.Transpose.NEVER);
        this.batchNorm = batchNormalize ? new BatchNormParameters(context, output) : null;
        this.activation = new ActivationStage(context, activation, output);
        this.inference = new Epilogue(batchNormalize ? batchNorm.inference() : null, biases.value(), activation);
        this.preActivation = new Epilogue(inference.batchNorm(), biases.value(), Activation.LINEAR);
        this.biasOnly = new Epilogue(null, biases.value(), Activation.LINEAR);
        this.biasAndActivation = new Epilogue(null, biases.value(), activation);
    }

    Epilogue inference() {
        return inference;
    }

    /** The inference epilogue without its activation: batch normalisation (or nothing) and the bias. */
    Epilogue preActivation() {
        return preActivation;
    }

    Activation activation() {
        return activation.activation();
    }

    Parameter biases() {
        return biases;
    }

    /** The batch-norm triple, or nothing. */
    List<Parameter> batchNormParameters() {
        return batchNorm == null ? List.of() : batchNorm.list();
    }

    /** Tensors allocated for training, for the owning layer to release. */
    List<Tensor> scratch() {
        List<Tensor> tensors = new ArrayList<>(batchNorm == null ? List.of() : batchNorm.scratch());
        if (activation.kept() != null) {
            tensors.add(activation.kept());
        }
        return tensors;
    }

    /** Normalises with batch statistics, adds the bias, activates; in place on the raw output. */
    void forwardTraining(Backend backend, Tensor output) {
        if (batchNorm != null) {
            backend.batchNormForward(batchNorm.training(), output);
        }
        if (activation.kept() == null) {
            backend.apply(biasAndActivation, output);
        } else {
            backend.apply(biasOnly, output);
            activation.forward(backend, output);
        }
    }

    /** Turns the output's delta into the delta of the raw output, accumulating the bias and scale gradients. */
    void backward(Backend backend, Tensor output, Tensor delta) {
        activation.backward(backend, output, delta);
        backend.biasGradient(delta, biases.gradient());
        if (batchNorm != null) {
            backend.batchNormBackward(batchNorm.training(), delta);
        }
    }
}
