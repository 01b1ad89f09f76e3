package org.jdarknet.bench;

import org.jdarknet.backend.Shape;
import org.jdarknet.net.Network;
import org.jdarknet.weights.RandomWeights;

/**
 * One forward pass as a classifier pays for it: the batch uploaded, every layer run, the result
 * downloaded. The images are a fixed test pattern; values do not change the work.
 */
final class Inference implements Workload {
    private final Network network;
    private final float[] images;

    Inference(Network network) {
        this.network = network;
        this.images = batchOfPatterns(network.inputShape());
    }

    /** The test pattern in every item of a batch of {@code shape}. */
    static float[] batchOfPatterns(Shape shape) {
        float[] pattern = RandomWeights.testPattern(shape.w(), shape.h(), shape.c());
        float[] batch = new float[shape.size()];
        for (int item = 0; item < shape.n(); item++) {
            System.arraycopy(pattern, 0, batch, item * pattern.length, pattern.length);
        }
        return batch;
    }

    @Override
    public String name() {
        return "inference";
    }

    @Override
    public long flopsPerImage() {
        return network.flops();
    }

    @Override
    public void run(Network.LayerObserver observer) {
        network.backend().upload(images, network.input());
        network.forward(observer);
        network.output();
        network.backend().synchronize();
    }
}
