package org.jdarknet.classify;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jdarknet.Log;
import org.jdarknet.backend.Backend;
import org.jdarknet.calibration.Calibration;
import org.jdarknet.image.FloatImage;
import org.jdarknet.image.ImageLoader;
import org.jdarknet.image.PendingImage;
import org.jdarknet.image.Preprocessing;
import org.jdarknet.net.Network;
import org.jdarknet.weights.WeightsReader;

/**
 * The Java API behind {@code jdarknet classify}: a network with its weights and class names,
 * answering "what is in this image?" as darknet's classifier does.
 *
 * <pre>{@code
 * try (Classifier classifier = Classifier.load(cfg, weights, Labels.read(names), new ReferenceBackend())) {
 *     for (Prediction p : classifier.classify(Path.of("data/dog.jpg"), 5)) { ... }
 * }
 * }</pre>
 *
 * <p>One classifier may be shared by many threads: decoding and preprocessing run concurrently,
 * while the network's forward passes run one at a time (the network keeps its activations in
 * its layers, so two passes at once would overwrite each other's). Answers are those a single
 * thread gets. For throughput on many cores, give each thread its own classifier (the weights
 * are then held once per classifier); {@link #network()} itself is not guarded.
 */
public final class Classifier implements AutoCloseable {
    private final Network network;
    private final Labels labels;
    private volatile Preprocessing preprocessing = Preprocessing.LETTERBOX;

    private Classifier(Network network, Labels labels) {
        this.network = network;
        this.labels = labels;
    }

    /** Builds the cfg's network for one image at a time and loads all of {@code weights} into it. */
    public static Classifier load(Path cfg, Path weights, Labels labels, Backend backend) {
        return load(cfg, weights, labels, backend, 1);
    }

    /**
     * As {@link #load(Path, Path, Labels, Backend)}, the network built for {@code batch} images
     * per pass: feed it through {@link #network()}, since {@link #probabilities} passes one image.
     */
    public static Classifier load(Path cfg, Path weights, Labels labels, Backend backend, int batch) {
        return load(cfg, weights, labels, backend, batch, null);
    }

    /**
     * As {@link #load(Path, Path, Labels, Backend, int)}, the convolutions given the input ranges
     * of {@code calibration} for an int8 backend ({@link Network#build(Path, Backend, int, Calibration)}); null: none.
     */
    public static Classifier load(Path cfg, Path weights, Labels labels, Backend backend, int batch,
                                  Calibration calibration) {
        Network network = Network.build(cfg, backend, batch, calibration);
        if (Log.verbose()) { // formatting the table costs a single-image run more than its first layers
            network.describe().forEach(Log::detail);
            Log.detail(String.format(Locale.ROOT, "%d layers, %,d parameters, %.3f BFLOPs", network.layers().size(),
                    network.parameterCount(), network.flops() / 1e9));
        }
        try {
            WeightsReader.load(network, weights);
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
        return wrap(network, labels);
    }

    /** Wraps a network whose weights are already in place (random weights, a training run, ...). */
    public static Classifier wrap(Network network, Labels labels) {
        int outputs = network.outputLayer().outputShape().itemSize();
        if (labels.size() < outputs) {
            Log.warn(labels.file() + ": " + labels.size() + " names for " + outputs
                    + " outputs; the rest are shown as numbers");
        }
        return new Classifier(network, labels);
    }

    public void setPreprocessing(Preprocessing preprocessing) {
        this.preprocessing = preprocessing;
    }

    public Preprocessing preprocessing() {
        return preprocessing;
    }

    public List<Prediction> classify(Path image, int top) {
        return classify(ImageLoader.load(image), top);
    }

    public List<Prediction> classify(FloatImage image, int top) {
        return topPredictions(probabilities(image), top);
    }

    /** The network's outputs (softmax probabilities for a classifier) for one image. */
    public float[] probabilities(FloatImage image) {
        float[] input = input(image);
        synchronized (network) {
            return network.output(input);
        }
    }

    /** The exact tensor the network receives for {@code image}, after preprocessing. */
    public float[] input(FloatImage image) {
        return preprocessing.apply(image, network.config().width(), network.config().height()).data();
    }

    /** The same tensor for an image decoded before the network was known. */
    public float[] input(PendingImage image) {
        return image.prepare(preprocessing, network.config().width(), network.config().height()).data();
    }

    /**
     * The same tensor for the image in file {@code image} (of at most {@code maxPixels} pixels),
     * decoded and preprocessed in one go ({@link ImageLoader#loadPrepared}).
     */
    public float[] input(Path image, long maxPixels) {
        return ImageLoader.loadPrepared(image, maxPixels, preprocessing, network.config().width(),
                network.config().height()).data();
    }

    /** The {@code top} largest outputs, in darknet's order. */
    public List<Prediction> topPredictions(float[] probabilities, int top) {
        List<Prediction> predictions = new ArrayList<>();
        for (int index : TopK.of(probabilities, top)) {
            predictions.add(new Prediction(index, labels.name(index), probabilities[index]));
        }
        return predictions;
    }

    /** The network, for callers that drive it themselves: its use is not serialised as {@link #classify} is. */
    public Network network() {
        return network;
    }

    @Override
    public void close() {
        synchronized (network) {
            network.close();
        }
    }
}
