package org.jdarknet.backend;

/**
 * What a backend is told about a network before the network allocates anything
 * ({@link Backend#prepare}): facts of its cfg that decide how its activations are best kept.
 *
 * @param activationValues   the values of every layer's output, per image
 * @param concatenatedValues of those, the values of the outputs of routes that concatenate more
 *                           than one source: what the routes would copy if no source could write
 *                           into its route's output through a channel view
 * @param training           whether the network is built for training, which makes no views
 */
public record NetworkTraits(long activationValues, long concatenatedValues, boolean training) {

    public NetworkTraits {
        if (activationValues < 0 || concatenatedValues < 0 || concatenatedValues > activationValues) {
            throw new IllegalArgumentException("concatenated values " + concatenatedValues + " must lie within 0.."
                    + activationValues + " (the activation values)");
        }
    }

    /**
     * The share of the activation values that are route concatenations channel views could
     * place, from 0 to 1: none in training.
     */
    public double viewableConcatenationShare() {
        return training || activationValues == 0 ? 0 : (double) concatenatedValues / activationValues;
    }
}
