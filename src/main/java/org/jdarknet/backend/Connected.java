package org.jdarknet.backend;

/**
 * A fully connected layer's matrix product prepared by a backend for one {@link ConnectedSpec},
 * created by {@link Backend#connected}. Its linear part is
 * {@code output[b][o] = sum_i input[b][i] * weights[o][i]}, each batch item of the input read as
 * one flat vector in CHW order, the weights {@link ConnectedSpec#weights} (outputs × inputs).
 */
public interface Connected extends WeightedOperation {
    ConnectedSpec spec();
}
