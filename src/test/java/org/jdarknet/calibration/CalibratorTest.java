package org.jdarknet.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.jdarknet.backend.Activation;
import org.jdarknet.backend.reference.ReferenceBackend;
import org.jdarknet.image.ImageLoader;
import org.jdarknet.image.Preprocessing;
import org.jdarknet.layers.ConvolutionalLayer;
import org.jdarknet.layers.Layer;
import org.jdarknet.layers.Parameter;
import org.jdarknet.net.Network;
import org.jdarknet.weights.RandomWeights;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The calibrator's ranges are the largest |value| of each layer's output over the images, as
 * computed here from the reference backend's layer outputs, image by image.
 */
class CalibratorTest {
    private static final Path CFG = Path.of("cfg/fashion-mnist.cfg");
    private static final List<Path> IMAGES = List.of(Path.of("data/dog.jpg"), Path.of("data/eagle.jpg"));
    private static final long SEED = 7;

    @BeforeAll
    static void sampleImages() {
        boolean present = IMAGES.stream().allMatch(Files::isRegularFile);
        if (!present) {
            System.err.println("CalibratorTest skipped: the sample images " + IMAGES + " are absent (make data)");
        }
        assumeTrue(present, "the sample images are absent (make data)");
    }

    @Test
    void rangesAreTheLargestMagnitudeOfEveryLayerOutputOverTheImages() {
        Calibration calibration = measuredOn(IMAGES);
        try (Network network = Network.build(CFG, new ReferenceBackend(), 1)) {
            RandomWeights.fill(network, SEED);
            int layers = network.layers().size();
            float[] expected = new float[layers];
            float input = 0;
            for (Path image : IMAGES) {
                float[] pixels = Preprocessing.LETTERBOX.apply(ImageLoader.load(image), 28, 28).data();
                input = Math.max(input, largest(pixels));
                network.forward(pixels);
                for (int i = 0; i < layers; i++) {
                    expected[i] = Math.max(expected[i], largest(network.layerOutput(i)));
                }
            }
            assertEquals(input, calibration.inputRange(0));
            assertEquals(IMAGES.size(), calibration.images());
            assertEquals(layers, calibration.layers().size());
            for (int i = 0; i < layers; i++) {
                assertTrue(expected[i] > 0, "layer " + i + " stayed zero: the test would not tell ranges apart");
                assertEquals(expected[i], calibration.outputRange(i), "layer " + i);
                assertEquals(expected[i], calibration.inputRange(i + 1), "input of layer " + (i + 1));
                assertEquals(network.layers().get(i).kind(), calibration.layers().get(i).kind());
            }
            assertEquals(Calibration.fingerprint(network.inputShape(), network.layers()), calibration.network());
            assertEquals("fashion-mnist.cfg", calibration.cfg());
        }
    }

    /**
     * Each convolution's pre-activation range is the largest |x| before its activation, recovered
     * here from the reference's outputs by inverting the activation (linear: x = y; leaky: x = y
     * above zero, y / 0.1 below), image by image; not the output range where leaky's slope shrank
     * the negatives. Other layers have none.
     */
    @Test
    void preActivationRangesAreTheLargestMagnitudeBeforeEachConvolutionsActivation() {
        Calibration calibration = measuredOn(IMAGES);
        try (Network network = Network.build(CFG, new ReferenceBackend(), 1)) {
            RandomWeights.fill(network, SEED);
            float[] expected = new float[network.layers().size()];
            for (Path image : IMAGES) {
                network.forward(Preprocessing.LETTERBOX.apply(ImageLoader.load(image), 28, 28).data());
                for (Layer layer : network.layers()) {
                    if (layer instanceof ConvolutionalLayer conv) {
                        expected[layer.index()] = Math.max(expected[layer.index()],
                                largestBeforeActivation(conv.activation(), network.layerOutput(layer.index())));
                    }
                }
            }
            int widened = 0;
            for (Layer layer : network.layers()) {
                int i = layer.index();
                if (!(layer instanceof ConvolutionalLayer)) {
                    assertTrue(Float.isNaN(calibration.preActivationRange(i)), "layer " + i + " is no convolution");
                    continue;
                }
                assertEquals(expected[i], calibration.preActivationRange(i), 1e-6 * expected[i], "layer " + i);
                widened += calibration.preActivationRange(i) > calibration.outputRange(i) ? 1 : 0;
            }
            assertTrue(widened > 0, "no leaky convolution's negatives exceeded its positives: the test tells nothing apart");
            assertTrue(calibration.hasPreActivationRanges());
        }
    }

    private static float largestBeforeActivation(Activation activation, float[] outputs) {
        float largest = 0;
        for (float y : outputs) {
            float x = switch (activation) {
                case LINEAR -> y;
                case LEAKY -> y > 0 ? y : y / 0.1f;
                default -> throw new AssertionError("the test inverts linear and leaky only, not " + activation);
            };
            largest = Math.max(largest, Math.abs(x));
        }
        return largest;
    }

    /** The maxima over two images are not those of either alone: the calibrator keeps the running maximum. */
    @Test
    void eachImageWidensTheRanges() {
        Calibration first = measuredOn(IMAGES.subList(0, 1));
        Calibration second = measuredOn(IMAGES.subList(1, 2));
        Calibration both = measuredOn(IMAGES);
        for (int i = 0; i < both.layers().size(); i++) {
            assertEquals(Math.max(first.outputRange(i), second.outputRange(i)), both.outputRange(i), "layer " + i);
            assertEquals(Math.max(first.preActivationRange(i), second.preActivationRange(i)), both.preActivationRange(i),
                    "layer " + i + " before the activation");
        }
        assertNotEquals(first, second);
    }

    @Test
    void theRangesFitTheNetworkTheyWereMeasuredOn() {
        Calibration calibration = measuredOn(IMAGES);
        try (Network calibrated = Network.build(CFG, new ReferenceBackend(), 4, calibration)) {
            ConvolutionalLayer first = (ConvolutionalLayer) calibrated.layers().get(0);
            assertEquals(calibration.inputRange(0), first.spec().inputRange());
        }
    }

    /** Weights of zeros: every convolution outputs zeros, whose range is written as 1, so that the file stays valid. */
    @Test
    void aTensorThatStaysZeroGetsRangeOne() {
        try (Network network = Network.build(CFG, new ReferenceBackend(), 1)) {
            for (Layer layer : network.layers()) {
                for (Parameter parameter : layer.parameters()) {
                    boolean variance = parameter.name().equals("rolling_variance");
                    float[] values = new float[parameter.length()];
                    Arrays.fill(values, variance ? 1f : 0f);
                    network.backend().upload(values, parameter.value());
                }
            }
            Calibration calibration = Calibrator.measure(network, IMAGES.subList(0, 1), Preprocessing.LETTERBOX,
                    ImageLoader.DEFAULT_MAX_PIXELS);
            assertEquals(0f, largest(network.layerOutput(0)), "the first convolution outputs zeros");
            assertEquals(1f, calibration.outputRange(0));
            assertTrue(calibration.inputRange(0) > 0.5f, "the image is not zero");
        }
    }

    private static Calibration measuredOn(List<Path> images) {
        try (Network network = Network.build(CFG, new ReferenceBackend(), 1)) {
            RandomWeights.fill(network, SEED);
            return Calibrator.measure(network, images, Preprocessing.LETTERBOX, ImageLoader.DEFAULT_MAX_PIXELS);
        }
    }

    private static float largest(float[] values) {
        float largest = 0;
        for (float value : values) {
            largest = Math.max(largest, Math.abs(value));
        }
        return largest;
    }
}
