package org.jdarknet.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.jdarknet.backend.BackendPair;
import org.jdarknet.backend.Precision;
import org.jdarknet.backend.RouteCopies;
import org.jdarknet.backend.Shape;
import org.jdarknet.backend.Tensor;
import org.jdarknet.backend.Tolerances;
import org.jdarknet.backend.ZooConformance;
import org.jdarknet.backend.reference.ReferenceBackend;
import org.jdarknet.classify.TopK;
import org.jdarknet.net.Network;
import org.jdarknet.weights.RandomWeights;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On the cpu backend in {@code nChw8c} (whose convolutions oneDNN runs with optimised kernels on
 * every x86 CPU it supports), DenseNet-201's routes copy nothing at inference, and its layers
 * compute what the copying path computes; a route whose channel ranges are not whole blocks of 8
 * copies, and a small dense network still agrees with the reference backend layer by layer.
 */
class CpuDenseNetRouteTest {
    private static final double TOLERANCE = Tolerances.CONTRACT.zooLayer();

    @BeforeAll
    static void requireBackend() {
        CpuBackendUnderTest.assumeAvailable();
    }

    @Test
    void denseNet201CopiesNothingAndComputesWhatTheCopyingPathDoes() {
        try (CpuBackend viewsBackend = new CpuBackend(0, Layout.Format.BLOCKED_8);
             CpuBackend copyingBackend = new CpuBackend(0, Layout.Format.BLOCKED_8)) {
            RouteCopies viewed = RouteCopies.counting(viewsBackend);
            RouteCopies copying = RouteCopies.withoutViews(copyingBackend);
            Path cfg = Path.of("cfg", "densenet201.cfg");
            try (Network network = Network.build(cfg, viewed.backend(), 1);
                 Network copied = Network.build(cfg, copying.backend(), 1)) {
                RandomWeights.fill(network, 201);
                RandomWeights.fill(copied, 201);
                float[] image = RandomWeights.testPattern(256, 256, 3);
                network.forward(image);
                copied.forward(image);
                assertEquals(0, viewed.take(), "route copies with views");
                assertEquals(98 * 2, copying.take(), "route copies without views (98 routes of two layers)");
                for (int layer = 0; layer < network.layers().size(); layer++) {
                    assertAgree(copied.layerOutput(layer), network.layerOutput(layer), "densenet201 layer " + layer);
                }
                assertArrayEquals(TopK.of(copied.output(), 5), TopK.of(network.output(), 5), "top-5");
            }
        }
    }

    @Test
    void routesOfPartialBlocksCopyAndEveryLayerAgreesWithTheReference() {
        Path cfg = Path.of("src/test/resources/cfg/dense-blocks.cfg");
        try (CpuBackend backend = new CpuBackend(0, Layout.Format.BLOCKED_8);
             Network reference = Network.build(cfg, new ReferenceBackend(), 2)) {
            RouteCopies viewed = RouteCopies.counting(backend);
            try (Network network = Network.build(cfg, viewed.backend(), 2)) {
                RandomWeights.fill(reference, 12);
                RandomWeights.fill(network, 12);
                float[] images = BackendPair.random(13, network.inputShape().size(), 0.5);
                reference.forward(images);
                network.forward(images);
                assertEquals(4, viewed.take(), "copies: route 10's two (channels 0..4 and 4..36 are not whole blocks"
                        + " of 8) and layer 11's two (it is routed twice)");
                for (int layer = 0; layer < network.layers().size(); layer++) {
                    assertAgree(reference.layerOutput(layer), network.layerOutput(layer), "dense-blocks layer " + layer);
                }
            }
        }
    }

    /** Calibrated int8 convolutions quantise their input from their own dense layout, so int8 offers no views. */
    @Test
    void int8OffersNoViews() {
        try (CpuBackend backend = new CpuBackend(0, Layout.Format.BLOCKED_8, Precision.INT8);
             Tensor parent = backend.allocate(new Shape(1, 32, 4, 4))) {
            assertTrue(backend.channelSlice(parent, 8, 16).isEmpty(), "a view in int8");
        }
    }

    private static void assertAgree(float[] expected, float[] actual, String what) {
        ZooConformance.assertLayerAgrees(expected, actual, TOLERANCE, what);
    }
}
