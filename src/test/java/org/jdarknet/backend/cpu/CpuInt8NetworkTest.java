package org.jdarknet.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.ConvolutionSpec;
import org.jdarknet.backend.Precision;
import org.jdarknet.classify.TopK;
import org.jdarknet.image.ImageLoader;
import org.jdarknet.image.Preprocessing;
import org.jdarknet.layers.Layer;
import org.jdarknet.net.NetConfig;
import org.jdarknet.net.Network;
import org.jdarknet.weights.RandomWeights;
import org.jdarknet.weights.WeightsReader;
import org.jdarknet.weights.WeightsWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A whole zoo network (tiny) in int8 against fp32, on the conformance tests' seeded random weights
 * and the sample images. Every convolution is calibrated, the head's included (the strictest
 * case), with the largest |input| each saw in an fp32 pass over the same images, and given that
 * range through the backend's {@code convolution(spec)} (the network has no calibration hook on
 * this branch). Bounds: the same top-1, at least 4 of the top-5 shared, and every probability
 * within 0.02 (absolute) of fp32's. Random weights say nothing of accuracy on real data; this
 * checks that quantisation errors stay as small through 15 layers as the per-layer bounds of
 * {@link CpuInt8ConvolutionTest} make them.
 */
class CpuInt8NetworkTest {
    private static final long SEED = 2024;
    private static final double LOGIT_STD = 2.5;
    static final List<String> IMAGES = List.of("dog.jpg", "eagle.jpg", "giraffe.jpg", "horses.jpg");
    private static final double PROBABILITY_ERROR = 0.02;
    private static final int TOP5_SHARED = 4;

    @BeforeAll
    static void available() {
        CpuBackendUnderTest.assumeAvailable();
    }

    @Test
    void tinyInInt8AgreesWithFp32() throws IOException {
        Path cfg = Path.of("cfg", "tiny.cfg");
        Path weights = Files.createTempFile(Files.createDirectories(Path.of("target")), "int8-tiny", ".weights");
        List<float[]> expected = new ArrayList<>();
        List<Float> ranges;
        try (CpuBackend fp32 = new CpuBackend(0, Precision.FP32); Network network = Network.build(cfg, fp32, 1)) {
            seedAndSave(network, SEED, weights);
            ranges = calibrate(network, expected);
        }
        Iterator<Float> unused = ranges.iterator();
        try (CpuBackend int8 = new CpuBackend(0, Precision.INT8);
             Network network = Network.build(cfg, withInputRanges(int8, unused), 1)) {
            assertFalse(unused.hasNext(), "fewer convolutions than calibrated ranges");
            WeightsReader.load(network, weights);
            for (int image = 0; image < IMAGES.size(); image++) {
                float[] actual = network.output(input(network.config(), IMAGES.get(image)));
                assertAgree("tiny int8 on " + IMAGES.get(image), expected.get(image), actual, PROBABILITY_ERROR);
            }
        } finally {
            Files.deleteIfExists(weights);
        }
    }

    /**
     * Gives {@code network} seeded random weights, its head scaled for confident predictions (the
     * logits' spread {@link #LOGIT_STD} on the test pattern), and saves them to {@code weights}.
     */
    static void seedAndSave(Network network, long seed, Path weights) {
        RandomWeights.fill(network, seed);
        NetConfig config = network.config();
        RandomWeights.calibrateHead(network, RandomWeights.testPattern(config.width(), config.height(),
                config.channels()), LOGIT_STD);
        WeightsWriter.save(network, weights);
    }

    /** Each convolution's largest |input| over the images, in layer order; records the probabilities. */
    private static List<Float> calibrate(Network network, List<float[]> probabilities) {
        float[] ranges = null;
        List<Layer> convolutions = network.layers().stream().filter(layer -> layer.kind().equals("conv")).toList();
        for (String name : IMAGES) {
            float[] image = input(network.config(), name);
            probabilities.add(network.output(image).clone());
            if (ranges == null) {
                ranges = new float[convolutions.size()];
            }
            for (int i = 0; i < convolutions.size(); i++) {
                int index = convolutions.get(i).index();
                ranges[i] = Math.max(ranges[i], largest(index == 0 ? image : network.layerOutput(index - 1)));
            }
        }
        List<Float> list = new ArrayList<>();
        for (float range : ranges) {
            list.add(range);
        }
        return list;
    }

    private static float largest(float[] values) {
        float largest = 0;
        for (float value : values) {
            largest = Math.max(largest, Math.abs(value));
        }
        return largest;
    }

    /** {@code backend}, with the convolutions it prepares given the ranges {@code next} returns, in order. */
    private static Backend withInputRanges(Backend backend, Iterator<Float> next) {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, arguments) -> {
                    Object[] passed = arguments;
                    if (method.getName().equals("convolution")) {
                        assertTrue(next.hasNext(), "more convolutions than calibrated ranges");
                        passed = new Object[] {((ConvolutionSpec) arguments[0]).withInputRange(next.next())};
                    }
                    try {
                        return method.invoke(backend, passed);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /**
     * {@code actual}, probabilities computed in a lower precision, agrees with fp32's: the same
     * top-1, at least 4 of the top-5 shared, each probability within {@code probabilityError}, and
     * not fp32's bit for bit (then the lower precision did not run).
     */
    static void assertAgree(String what, float[] expected, float[] actual, double probabilityError) {
        assertEquals(expected.length, actual.length, what + ": outputs");
        int[] top5 = TopK.of(expected, 5);
        int[] found = TopK.of(actual, 5);
        long shared = Arrays.stream(found).filter(k -> Arrays.stream(top5).anyMatch(e -> e == k)).count();
        double error = 0;
        for (int i = 0; i < expected.length; i++) {
            error = Math.max(error, Math.abs((double) expected[i] - actual[i]));
        }
        System.out.printf("%s: top-1 %s, %d of the top-5 shared, largest probability error %.4f"
                + " (fp32 top-1 probability %.3f)%n", what, top5[0] == found[0] ? "same" : "differs", shared, error,
                expected[top5[0]]);
        assertEquals(top5[0], found[0], what + ": top-1");
        assertTrue(shared >= TOP5_SHARED, what + ": only " + shared + " of the top-5 shared");
        assertTrue(error <= probabilityError, what + ": probability error " + error);
        assertFalse(Arrays.equals(expected, actual), what + ": fp32's probabilities: the lower precision did not run");
    }

    static float[] input(NetConfig config, String image) {
        return Preprocessing.LETTERBOX.apply(ImageLoader.load(Path.of("data", image)), config.width(), config.height())
                .data();
    }
}
