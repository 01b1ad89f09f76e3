package org.jdarknet.train;

import java.util.Arrays;
import org.jdarknet.data.Batch;
import org.jdarknet.data.BatchLoader;
import org.jdarknet.data.Dataset;
import org.jdarknet.data.ImageTransform;
import org.jdarknet.data.LoaderOptions;
import org.jdarknet.net.Network;

/**
 * Runs a network over a labelled dataset at inference (rolling batch-norm statistics), a batch of
 * the network's size at a time, and counts its accuracy.
 */
public final class Validator {
    private final Network network;
    private final Dataset dataset;
    private final ImageTransform preprocessing;
    private final LoaderOptions options;

    public Validator(Network network, Dataset dataset, ImageTransform preprocessing, LoaderOptions options) {
        this.network = network;
        this.dataset = dataset;
        this.preprocessing = preprocessing;
        this.options = options;
    }

    /** What the validation reports for each image, e.g. darknet's per-image lines. */
    @FunctionalInterface
    public interface ImageResult {
        void accept(Batch batch, int item, float[] predictions, Evaluation soFar);
    }

    public Evaluation run(int k, ImageResult each) {
        Evaluation evaluation = new Evaluation(dataset.classCount(), k);
        int batchSize = network.inputShape().n();
        int outputs = network.outputLayer().outputShape().itemSize();
        float[] input = new float[network.inputShape().size()];
        try (BatchLoader loader = BatchLoader.validation(dataset, preprocessing, batchSize, options)) {
            while (loader.hasNext()) {
                Batch batch = loader.next();
                Arrays.fill(input, 0);
                System.arraycopy(batch.images(), 0, input, 0, batch.images().length);
                float[] output = network.output(input);
                for (int item = 0; item < batch.size(); item++) {
                    float[] predictions = Arrays.copyOfRange(output, item * outputs, (item + 1) * outputs);
                    evaluation.add(batch.labels()[item], predictions);
                    each.accept(batch, item, predictions, evaluation);
                }
            }
        }
        return evaluation;
    }
}
