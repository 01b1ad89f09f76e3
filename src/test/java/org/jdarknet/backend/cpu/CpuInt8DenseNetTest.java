package org.jdarknet.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.BackendProxy;
import org.jdarknet.backend.Precision;
import org.jdarknet.backend.Shape;
import org.jdarknet.calibration.Calibration;
import org.jdarknet.calibration.Calibrator;
import org.jdarknet.layers.RouteLayer;
import org.jdarknet.net.Network;
import org.jdarknet.weights.WeightsReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * densenet121 in int8 with its route concatenations handed on quantised (each route copies its
 * sources' integers, stepping them again to its own range, and the 1x1 convolution after it reads
 * them as they are) against the same network with every output in floats, each convolution
 * quantising its own input from the float concatenation, and against fp32. Seeded random weights,
 * calibrated on the sample images. Stepping again moves a routed value by at most half a step of
 * the route's range besides its own rounding, once per route it passes through. Bounds: every
 * probability within 0.02 (absolute) of fp32's, as {@link CpuInt8NetworkTest} allows tiny; the two
 * int8 networks within half that of each other, and not equal (then no route stepped its bytes
 * again); over 40 of the routes handed on quantised. (Top-1 is not held: with random weights the
 * first two classes of some images lie within 0.003 of each other, which int8 with routes in floats
 * swaps too.)
 */
class CpuInt8DenseNetTest {
    private static final Path CFG = Path.of("cfg", "densenet121.cfg");
    private static final long SEED = 2024;
    private static final double PROBABILITY_ERROR = 0.02;

    @BeforeAll
    static void available() {
        CpuBackendUnderTest.assumeAvailable();
    }

    @Test
    void routesHandedOnQuantisedKeepTheInt8Result() throws IOException {
        List<float[]> images = new ArrayList<>();
        List<float[]> fp32 = new ArrayList<>();
        Calibration calibration;
        Path weights = Files.createTempFile(Files.createDirectories(Path.of("target")), "int8-densenet", ".weights");
        try (CpuBackend backend = new CpuBackend(0, Precision.FP32); Network network = Network.build(CFG, backend, 1)) {
            CpuInt8NetworkTest.seedAndSave(network, SEED, weights);
            Calibrator calibrator = new Calibrator(network);
            for (String name : CpuInt8NetworkTest.IMAGES) {
                float[] image = CpuInt8NetworkTest.input(network.config(), name);
                images.add(image);
                fp32.add(network.output(image).clone());
                calibrator.add(image);
            }
            calibration = calibrator.result();
        }
        try (CpuBackend int8 = new CpuBackend(0, Precision.INT8)) {
            List<Shape> quantisedRoutes = new ArrayList<>();
            List<float[]> handedOn = outputs(int8, calibration, weights, images, quantisedRoutes);
            List<float[]> floats = outputs(BackendProxy.around(int8, (method, args, proceed) ->
                    method.equals("allocateQuantised") ? int8.allocate((Shape) args[0]) : proceed.call()),
                    calibration, weights, images, new ArrayList<>());
            assertTrue(quantisedRoutes.size() >= 40, "only " + quantisedRoutes.size() + " routes handed on quantised");
            for (int image = 0; image < images.size(); image++) {
                String name = CpuInt8NetworkTest.IMAGES.get(image);
                double handedOnError = distance(fp32.get(image), handedOn.get(image));
                double floatsError = distance(fp32.get(image), floats.get(image));
                double between = distance(floats.get(image), handedOn.get(image));
                System.out.printf("densenet121 int8 on %s: largest probability error %.4f with quantised routes,"
                        + " %.4f with routes in floats, %.4f between them%n", name, handedOnError, floatsError, between);
                assertTrue(handedOnError <= PROBABILITY_ERROR, name + ": probability error " + handedOnError);
                assertTrue(between <= PROBABILITY_ERROR / 2, name + ": the two int8 networks differ by " + between);
                assertTrue(between > 0, name + ": the same probabilities: no route was stepped again");
            }
        } finally {
            Files.deleteIfExists(weights);
        }
    }

    /**
     * The probabilities of the int8 network on {@code backend} for each image, with {@code weights};
     * the shapes of the route outputs the backend gave as quantised tensors go to {@code routes}.
     */
    private static List<float[]> outputs(Backend backend, Calibration calibration, Path weights, List<float[]> images,
                                         List<Shape> routes) {
        List<float[]> probabilities = new ArrayList<>();
        try (Network network = Network.build(CFG, backend, 1, calibration)) {
            WeightsReader.load(network, weights);
            network.layers().stream().filter(RouteLayer.class::isInstance)
                    .filter(route -> route.output() instanceof ActivationTensor tensor && tensor.quantised())
                    .forEach(route -> routes.add(route.outputShape()));
            for (float[] image : images) {
                probabilities.add(network.output(image).clone());
            }
        }
        return probabilities;
    }

    private static double distance(float[] a, float[] b) {
        double largest = 0;
        for (int i = 0; i < a.length; i++) {
            largest = Math.max(largest, Math.abs((double) a[i] - b[i]));
        }
        return largest;
    }
}
