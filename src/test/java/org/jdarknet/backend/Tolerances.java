package org.jdarknet.backend;

/**
 * The agreement with the reference backend that {@link Backend}'s contract asks of every backend,
 * each relative to the largest magnitude of the reference's result unless said otherwise; zero
 * means bit for bit. A backend may hold itself to stricter bounds (the cpu backend runs softmax
 * and the losses on the reference backend, so it must match them exactly).
 *
 * @param rounding       single operations that add or multiply in another order than darknet
 * @param approximation  activations computed with approximated {@code exp} or {@code tanh}
 * @param softmax        softmax outputs, and the deltas and (relative to themselves) the losses of
 *                       the cross-entropy and {@code [cost]} losses
 * @param linear         convolutions with fused epilogues, and the backward of convolutions and connected layers
 * @param batchNorm      batch normalisation forward and backward while training
 * @param zooLayer       each layer's output in a whole zoo network
 * @param probability    a zoo network's output probabilities (absolute)
 * @param loss           a training step's loss, relative to itself
 * @param change         a training step's change of a parameter, relative to the largest change in its tensor
 * @param noise          added to {@code change}, absolute, for changes that are rounding noise on both sides
 */
public record Tolerances(double rounding, double approximation, double softmax, double linear, double batchNorm,
                         double zooLayer, double probability, double loss, double change, double noise) {

    /** The bounds stated in {@link Backend}'s documentation, and found for the cpu backend. */
    public static final Tolerances CONTRACT = new Tolerances(2e-6, 1e-5, 1e-6, 5e-6, 5e-6, 5e-5, 1e-4, 1e-5, 1e-3,
            1e-7);

    /** Bit for bit everywhere. */
    public static final Tolerances EXACT = new Tolerances(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
