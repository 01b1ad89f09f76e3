package org.jdarknet.backend;

import java.util.Objects;

/**
 * What darknet does to a convolution's or connected layer's raw output, in order: optional batch
 * normalisation (with rolling statistics), optional per-channel bias, then the activation, and
 * optionally a residual after it. Handing it to the backend together with the matrix work lets a
 * fast backend fuse them.
 *
 * <p>Every backend honours the whole epilogue wherever it is given ({@link WeightedOperation#forward},
 * {@link Backend#apply}), the residual included: fusing it is an optimisation, composing it from
 * {@link Backend#shortcut} and {@link Backend#apply} ({@link #composeResidual}) is always correct.
 *
 * @param batchNorm  null when the layer has no batch normalisation
 * @param biases     null for no bias
 * @param residual   null for none
 */
public record Epilogue(BatchNorm batchNorm, Tensor biases, Activation activation, Residual residual) {

    /** Nothing after the linear part: the raw output, as training needs it. */
    public static final Epilogue NONE = new Epilogue(null, null, Activation.LINEAR);

    /**
     * Darknet's shortcut and its activation, done to the activated output:
     * {@code output = activation(alpha*output + beta*from)}. {@code from} has the output's shape,
     * or another that darknet's sampled sum takes ({@link Backend#shortcut}: then only the cells it
     * adds to are scaled by {@code alpha}), and is never the output tensor itself (nor a view of
     * it); a network fuses a {@code [shortcut]}
     * into the convolution before it this way, at inference only. In an int8 network {@code from}
     * may be a quantised tensor ({@link Backend#allocateQuantised}): its values are the steps it holds.
     */
    public record Residual(Tensor from, float alpha, float beta, Activation activation) {
        // Written out, not generated: see Shape#equals.
        @Override
        public boolean equals(Object other) {
            return other instanceof Residual residual && from.equals(residual.from)
                    && Float.compare(alpha, residual.alpha) == 0 && Float.compare(beta, residual.beta) == 0
                    && activation == residual.activation;
        }

        @Override
        public int hashCode() {
            return Objects.hash(from, alpha, beta, activation);
        }
    }

    public Epilogue(BatchNorm batchNorm, Tensor biases, Activation activation) {
        this(batchNorm, biases, activation, null);
    }

    public static Epilogue activation(Activation activation) {
        return new Epilogue(null, null, activation);
    }

    public boolean isIdentity() {
        return batchNorm == null && biases == null && activation == Activation.LINEAR && residual == null;
    }

    /** This epilogue up to its activation, without the residual. */
    public Epilogue withoutResidual() {
        return residual == null ? this : new Epilogue(batchNorm, biases, activation);
    }

    /** This epilogue followed by {@code residual} (null: none). */
    public Epilogue withResidual(Residual residual) {
        return new Epilogue(batchNorm, biases, activation, residual);
    }

    /**
     * Does the residual (if any) to {@code output}, which already holds the rest of the epilogue,
     * with the backend's own operations, exactly as a separate {@code [shortcut]} layer does: the
     * way for a backend that does not fuse it.
     */
    public void composeResidual(Backend backend, Tensor output) {
        if (residual == null) {
            return;
        }
        backend.shortcut(residual.from(), residual.alpha(), residual.beta(), output);
        if (residual.activation() != Activation.LINEAR) {
            backend.apply(activation(residual.activation()), output);
        }
    }

    // Written out, not generated: see Shape#equals.
    @Override
    public boolean equals(Object other) {
        return other instanceof Epilogue epilogue && Objects.equals(batchNorm, epilogue.batchNorm)
                && Objects.equals(biases, epilogue.biases) && activation == epilogue.activation
                && Objects.equals(residual, epilogue.residual);
    }

    @Override
    public int hashCode() {
        return Objects.hash(batchNorm, biases, activation, residual);
    }
}
