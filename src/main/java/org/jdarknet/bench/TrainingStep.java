package org.jdarknet.bench;

import org.jdarknet.net.Network;
import org.jdarknet.train.Solver;

/**
 * One training step as {@code train} pays for it: the batch and its truth uploaded, forward with
 * batch statistics, loss, backward, and the SGD update at the cfg's learning rate. Counted as three
 * times the forward's operations, the usual estimate (backward computes the gradients of both the
 * inputs and the weights, each about one forward's worth).
 */
final class TrainingStep implements Workload {
    private final Network network;
    private final Solver solver;
    private final float[] images;
    private final float[] truth;

    TrainingStep(Network network) {
        this.network = network;
        this.solver = new Solver(network.config().solver());
        this.images = Inference.batchOfPatterns(network.inputShape());
        int items = network.inputShape().n();
        int classes = network.outputLayer().outputShape().itemSize();
        this.truth = new float[items * classes];
        for (int item = 0; item < items; item++) {
            truth[item * classes + item % classes] = 1;
        }
    }

    @Override
    public String name() {
        return "training";
    }

    @Override
    public long flopsPerImage() {
        return 3 * network.flops();
    }

    /** Per-layer timing covers inference only, so the observer is not called. */
    @Override
    public void run(Network.LayerObserver observer) {
        network.train(images, truth);
        solver.update(network, network.config().solver().learningRate(), network.inputShape().n());
        network.backend().synchronize();
    }
}
