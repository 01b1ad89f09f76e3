package org.jdarknet.calibration;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jdarknet.Log;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.Precision;
import org.jdarknet.backend.Tensor;
import org.jdarknet.image.ImageLoader;
import org.jdarknet.image.Preprocessing;
import org.jdarknet.layers.ConvolutionalLayer;
import org.jdarknet.layers.Layer;
import org.jdarknet.net.Network;
import org.jdarknet.weights.RandomWeights;
import org.jdarknet.weights.WeightsReader;

/**
 * Measures a {@link Calibration}: runs images through a network computing in fp32, one at a
 * time, and keeps the largest |value| of its input and of every layer's output, and of every
 * convolution's output before its activation (the convolution run again on the same input with
 * batch norm and the bias but no activation, into a scratch tensor).
 *
 * <pre>{@code
 * Calibration calibration = Calibrator.calibrate(cfg, weights, new CpuBackend(0), images, Preprocessing.LETTERBOX);
 * try (Network int8 = Network.build(cfg, Backends.create("cpu", 0, Precision.INT8), 1, calibration)) { ... }
 * }</pre>
 */
public final class Calibrator {
    /** Progress is told in about this many steps, for runs of more images than it. */
    private static final int PROGRESS_STEPS = 10;

    private final Network network;
    private final float[] outputRanges;
    private final float[] preActivationRanges;
    private float inputRange;
    private int images;

    /** @param network built for one image, on a backend computing in fp32, its weights in place */
    public Calibrator(Network network) {
        if (network.backend().precision() != Precision.FP32) {
            throw new IllegalArgumentException("calibration measures in fp32, not " + network.backend().precision().label());
        }
        if (network.inputShape().n() != 1) {
            throw new IllegalArgumentException("calibration runs one image at a time, not " + network.inputShape().n());
        }
        this.network = network;
        this.outputRanges = new float[network.layers().size()];
        this.preActivationRanges = new float[network.layers().size()];
    }

    /**
     * Builds {@code cfg}'s network on {@code backend} (which must compute in fp32), loads
     * {@code weights} and measures it on {@code images}, each made the network's input by
     * {@code preprocessing}.
     */
    public static Calibration calibrate(Path cfg, Path weights, Backend backend, List<Path> images,
                                        Preprocessing preprocessing, long maxPixels) {
        try (Network network = Network.build(cfg, backend, 1)) {
            WeightsReader.load(network, weights);
            return measure(network, images, preprocessing, maxPixels);
        }
    }

    /**
     * Builds {@code cfg}'s network on {@code backend} (fp32) with the seeded random weights of
     * {@link RandomWeights#fill} and measures it on {@code images}, letterboxed as classify makes
     * them: for timing int8 with the very weights the benchmark times.
     */
    public static Calibration withRandomWeights(Path cfg, long seed, Backend backend, List<Path> images) {
        try (Network network = Network.build(cfg, backend, 1)) {
            RandomWeights.fill(network, seed);
            return measure(network, images, Preprocessing.LETTERBOX, ImageLoader.DEFAULT_MAX_PIXELS);
        }
    }

    /** Measures {@code network} (weights in place) on {@code images}, telling progress on stderr. */
    public static Calibration measure(Network network, List<Path> images, Preprocessing preprocessing, long maxPixels) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("calibration needs at least one image");
        }
        Calibrator calibrator = new Calibrator(network);
        int width = network.config().width();
        int height = network.config().height();
        int step = Math.max(1, images.size() / PROGRESS_STEPS);
        Log.info("calibrating " + network.cfgFile().getFileName() + " on " + images.size() + (images.size() == 1 ? " image (" : " images (")
                + preprocessing.cliName() + ")");
        for (Path image : images) {
            calibrator.add(preprocessing.apply(ImageLoader.load(image, maxPixels), width, height).data());
            if (images.size() > PROGRESS_STEPS && calibrator.images % step == 0) {
                Log.info("calibrating: " + calibrator.images + "/" + images.size() + " images");
            }
        }
        return calibrator.result();
    }

    /** Runs one image (the network's input, preprocessed) and widens the ranges by what it reaches. */
    public void add(float[] input) {
        network.forward(input);
        inputRange = Math.max(inputRange, largestMagnitude(input));
        for (int i = 0; i < outputRanges.length; i++) {
            outputRanges[i] = Math.max(outputRanges[i], largestMagnitude(network.layerOutput(i)));
        }
        measurePreActivations();
        images++;
    }

    /** Each convolution again on the input it just read, without its activation. */
    private void measurePreActivations() {
        List<Layer> layers = network.layers();
        for (Layer layer : layers) {
            if (layer instanceof ConvolutionalLayer conv) {
                Tensor input = layer.index() == 0 ? network.input() : layers.get(layer.index() - 1).output();
                try (Tensor preActivation = network.backend().allocate(layer.outputShape())) {
                    conv.forwardPreActivation(input, preActivation);
                    preActivationRanges[layer.index()] = Math.max(preActivationRanges[layer.index()],
                            largestMagnitude(network.backend().download(preActivation)));
                }
            }
        }
    }

    /**
     * The ranges so far. A tensor that stayed zero on every image (a layer of dead ReLUs) gets
     * range 1: any scale keeps zeros zero, and a calibration's ranges are positive.
     */
    public Calibration result() {
        if (images == 0) {
            throw new IllegalStateException("no image calibrated yet");
        }
        List<Calibration.LayerRange> layers = new ArrayList<>();
        for (int i = 0; i < outputRanges.length; i++) {
            Layer layer = network.layers().get(i);
            float preActivation = layer instanceof ConvolutionalLayer ? positive(preActivationRanges[i]) : Float.NaN;
            layers.add(new Calibration.LayerRange(i, layer.kind(), positive(outputRanges[i]), preActivation));
        }
        return new Calibration(network.cfgFile().getFileName().toString(),
                Calibration.fingerprint(network.inputShape(), network.layers()), images, positive(inputRange), layers, null);
    }

    private static float positive(float range) {
        return range > 0 ? range : 1f;
    }

    private static float largestMagnitude(float[] values) {
        float largest = 0;
        for (float value : values) {
            largest = Math.max(largest, Math.abs(value));
        }
        return largest;
    }
}
