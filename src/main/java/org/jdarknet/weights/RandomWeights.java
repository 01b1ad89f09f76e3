package org.jdarknet.weights;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.jdarknet.backend.Activation;
import org.jdarknet.backend.Backend;
import org.jdarknet.layers.AvgpoolLayer;
import org.jdarknet.layers.BatchnormLayer;
import org.jdarknet.layers.ConnectedLayer;
import org.jdarknet.layers.ConvolutionalLayer;
import org.jdarknet.layers.CostLayer;
import org.jdarknet.layers.DropoutLayer;
import org.jdarknet.layers.Layer;
import org.jdarknet.layers.Parameter;
import org.jdarknet.layers.RouteLayer;
import org.jdarknet.layers.ShortcutLayer;
import org.jdarknet.layers.SoftmaxLayer;
import org.jdarknet.net.Network;

/**
 * Seeded random weights that keep a network numerically tame, for benchmarks and for comparing
 * implementations when no trained weights are at hand. The same seed and cfg give the same values
 * on every machine (the generator is {@link SplittableRandom}, the Gaussian our own Box-Muller).
 *
 * <p>Weights are drawn with variance 1/fan-in. The batch-norm statistics follow a running estimate
 * of each layer's input second moment, so normalised values stay near unit scale however deep the
 * network is. {@link #calibrateHead} then scales the classifier head so that the logits have a
 * chosen spread: real networks are confident, and a flat softmax would make top-5 lists fragile.
 */
public final class RandomWeights {
    /** Second moment of image pixels in [0,1]. */
    private static final double IMAGE_MOMENT = 0.33;

    private final Network network;
    private final Backend backend;
    private final SplittableRandom random;
    private final Map<Layer, Double> moments = new HashMap<>();

    private RandomWeights(Network network, long seed) {
        this.network = network;
        this.backend = network.backend();
        this.random = new SplittableRandom(seed);
    }

    /** Fills every parameter of {@code network} from {@code seed}. */
    public static void fill(Network network, long seed) {
        new RandomWeights(network, seed).fillAll();
    }

    private void fillAll() {
        double moment = IMAGE_MOMENT;
        for (Layer layer : network.layers()) {
            moment = fillLayer(layer, moment);
            moments.put(layer, moment);
        }
    }

    /** Fills one layer given the second moment of its input; returns that of its output. */
    private double fillLayer(Layer layer, double input) {
        if (layer instanceof ConvolutionalLayer conv) {
            int fanIn = conv.spec().weights().itemSize();
            return fillLinear(layer, fanIn, input) * activationGain(conv.activation());
        }
        if (layer instanceof ConnectedLayer connected) {
            return fillLinear(layer, layer.inputShape().itemSize(), input) * activationGain(connected.activation());
        }
        if (layer instanceof BatchnormLayer) {
            fillBatchNorm(layer.parameters(), input);
            return 1;
        }
        if (layer instanceof AvgpoolLayer) {
            return input * 0.5;
        }
        if (layer instanceof ShortcutLayer shortcut) {
            return input + moments.getOrDefault(shortcut.from(), input);
        }
        if (layer instanceof RouteLayer route) {
            return routedMoment(route.sources(), input);
        }
        return input;
    }

    /**
     * Weights N(0, 1/fanIn), which keep the output's second moment at the input's; small biases;
     * batch-norm statistics matched to that moment, so the normalised output is near unit scale.
     */
    private double fillLinear(Layer layer, int fanIn, double input) {
        for (Parameter parameter : layer.parameters()) {
            switch (parameter.name()) {
                case "weights" -> upload(parameter, gaussian(parameter.length(), StrictMath.sqrt(1.0 / fanIn)));
                case "biases" -> upload(parameter, gaussian(parameter.length(), 0.1));
                default -> {
                }
            }
        }
        List<Parameter> batchNorm = layer.parameters().stream().filter(Parameter::batchNorm).toList();
        if (!batchNorm.isEmpty()) {
            fillBatchNorm(batchNorm, input);
            return 1;
        }
        return input;
    }

    private void fillBatchNorm(List<Parameter> parameters, double moment) {
        for (Parameter parameter : parameters) {
            int n = parameter.length();
            switch (parameter.name()) {
                case "scales" -> upload(parameter, uniform(n, 0.7, 1.3, 1));
                case "rolling_mean" -> upload(parameter, gaussian(n, 0.2 * StrictMath.sqrt(moment)));
                case "rolling_variance" -> upload(parameter, uniform(n, 0.7, 1.4, moment));
                default -> throw new IllegalStateException("unexpected batch-norm parameter " + parameter.name());
            }
        }
    }

    /** Channel-weighted mean of the sources' moments. */
    private double routedMoment(List<Layer> sources, double fallback) {
        double weighted = 0;
        int channels = 0;
        for (Layer source : sources) {
            weighted += moments.getOrDefault(source, fallback) * source.outputShape().c();
            channels += source.outputShape().c();
        }
        return weighted / channels;
    }

    /** Rough second moment of {@code activation(x)} for x ~ N(0, 1). */
    private static double activationGain(Activation activation) {
        return switch (activation) {
            case LINEAR -> 1;
            case LOGISTIC -> 0.3;
            default -> 0.5;
        };
    }

    /**
     * Scales the classifier head (the last convolutional or connected layer, when it is linear and
     * only pooling, dropout, softmax or cost follow) so that the softmax input for {@code image}
     * has standard deviation {@code targetStd}. Does nothing for networks of another shape.
     */
    public static void calibrateHead(Network network, float[] image, double targetStd) {
        List<Layer> layers = network.layers();
        int head = headIndex(layers);
        if (head < 0) {
            return;
        }
        network.forward(image);
        int logitsLayer = softmaxInputIndex(layers);
        float[] logits = network.layerOutput(logitsLayer);
        double std = standardDeviation(logits);
        if (!(std > 0) || !Double.isFinite(std)) {
            return;
        }
        float factor = (float) (targetStd / std);
        Layer layer = layers.get(head);
        boolean normalized = layer.parameters().stream().anyMatch(Parameter::batchNorm);
        for (Parameter parameter : layer.parameters()) {
            boolean linearPart = parameter.name().equals("biases")
                    || parameter.name().equals(normalized ? "scales" : "weights");
            if (linearPart) {
                float[] values = network.backend().download(parameter.value());
                for (int i = 0; i < values.length; i++) {
                    values[i] *= factor;
                }
                network.backend().upload(values, parameter.value());
            }
        }
    }

    /**
     * A deterministic smooth colour pattern in [0,1] with some texture, for calibrating random
     * weights without depending on any image file.
     */
    public static float[] testPattern(int width, int height, int channels) {
        float[] data = new float[width * height * channels];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double wave = StrictMath.sin(0.11 * x * (c + 1) + 0.07 * y) * StrictMath.cos(0.05 * y * (3 - c) - 0.03 * x);
                    double texture = ((x * 7919 + y * 104729 + c * 1299709) % 257) / 257.0;
                    data[(c * height + y) * width + x] = (float) (0.5 + 0.35 * wave + 0.15 * (texture - 0.5));
                }
            }
        }
        return data;
    }

    private static int headIndex(List<Layer> layers) {
        for (int i = layers.size() - 1; i >= 0; i--) {
            Layer layer = layers.get(i);
            if (layer instanceof ConvolutionalLayer conv) {
                return conv.activation() == Activation.LINEAR ? i : -1;
            }
            if (layer instanceof ConnectedLayer connected) {
                return connected.activation() == Activation.LINEAR ? i : -1;
            }
            boolean passThrough = layer instanceof AvgpoolLayer || layer instanceof SoftmaxLayer
                    || layer instanceof CostLayer || layer instanceof DropoutLayer;
            if (!passThrough) {
                return -1;
            }
        }
        return -1;
    }

    private static int softmaxInputIndex(List<Layer> layers) {
        for (int i = layers.size() - 1; i > 0; i--) {
            if (layers.get(i) instanceof SoftmaxLayer) {
                return i - 1;
            }
        }
        return layers.size() - 1;
    }

    private static double standardDeviation(float[] values) {
        double sum = 0;
        double squares = 0;
        for (float value : values) {
            sum += value;
            squares += (double) value * value;
        }
        double mean = sum / values.length;
        return Math.sqrt(Math.max(0, squares / values.length - mean * mean));
    }

    private void upload(Parameter parameter, float[] values) {
        backend.upload(values, parameter.value());
    }

    private float[] gaussian(int n, double std) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (std * standardNormal());
        }
        return values;
    }

    private float[] uniform(int n, double low, double high, double factor) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (factor * (low + (high - low) * random.nextDouble()));
        }
        return values;
    }

    /** Box-Muller with one of the pair: simple and the same on every JDK. */
    private double standardNormal() {
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u)) * StrictMath.cos(2.0 * Math.PI * v);
    }
}
