package org.jdarknet.backend;

/**
 * What darknet does to a convolution's or connected layer's raw output, in order: optional batch
 * normalisation (with rolling statistics), optional per-channel bias, then the activation.
 * Handing it to the backend together with the matrix work lets a fast backend fuse the three.
 *
 * @param batchNorm  null when the layer has no batch normalisation
 * @param biases     null for no bias
 */
public record Epilogue(BatchNorm batchNorm, Tensor biases, Activation activation) {

    /** Nothing after the linear part: the raw output, as training needs it. */
    public static final Epilogue NONE = new Epilogue(null, null, Activation.LINEAR);

    public static Epilogue activation(Activation activation) {
        return new Epilogue(null, null, activation);
    }

    public boolean isIdentity() {
        return batchNorm == null && biases == null && activation == Activation.LINEAR;
    }
}
