package org.jdarknet.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * copies, and a small dense network still agrees with the reference backend layer by layer, in
 * nChw8c and in the layout the backend chooses for it.
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

    /**
     * Left to choose, one backend keeps each network in the layout {@link NetworkLayout} picks
     * from oneDNN's facts on this CPU: the dense blocks (half their activation values are
     * concatenations) in one whose views oneDNN convolves with optimised kernels, which on an
     * AVX2 CPU is {@code nChw8c}, and a network without routes, built while the first is still
     * open, in the preferred layout; both agree with the reference backend layer by layer.
     */
    @Test
    void eachNetworkGetsItsOwnLayoutAndBothAgreeWithTheReference() {
        Path dense = Path.of("src/test/resources/cfg/dense-blocks.cfg");
        Path plain = Path.of("src/test/resources/cfg/small.cfg");
        Layout.Format preferred = ActivationFormat.preferred(Precision.FP32);
        try (CpuBackend backend = new CpuBackend(0);
             Dnnl probe = new Dnnl(0, null, Precision.FP32);
             Network denseReference = Network.build(dense, new ReferenceBackend(), 2);
             Network plainReference = Network.build(plain, new ReferenceBackend(), 2)) {
            ChannelViews facts = new ChannelViews(probe);
            RouteCopies viewed = RouteCopies.counting(backend);
            try (Network denseNetwork = Network.build(dense, viewed.backend(), 2);
                 Network plainNetwork = Network.build(plain, backend, 2)) {
                Layout.Format denseFormat = formatOf(denseNetwork, 2);
                boolean avx2Facts = !facts.optimisedInViews(Layout.Format.CHANNELS_LAST)
                        && !facts.optimisedInViews(Layout.Format.BLOCKED_16) && facts.optimisedInViews(Layout.Format.BLOCKED_8);
                System.err.println("dense blocks kept in " + denseFormat + " (preferred here: " + preferred + ")");
                if (avx2Facts && preferred == Layout.Format.CHANNELS_LAST) {
                    assertEquals(Layout.Format.BLOCKED_8, denseFormat, "the dense blocks' layout on an AVX2 CPU");
                } else {
                    assertTrue(denseFormat == preferred || facts.optimisedInViews(denseFormat), denseFormat
                            + ": neither preferred nor convolved as views with optimised kernels");
                }
                assertEquals(probe.layout(plainNetwork.layers().get(0).outputShape()).format(), formatOf(plainNetwork, 0),
                        "the layout of a network without routes");
                assertAgreesWithTheReference(denseReference, denseNetwork, 14);
                assertAgreesWithTheReference(plainReference, plainNetwork, 15);
                if (denseFormat == Layout.Format.BLOCKED_8) {
                    assertEquals(4, viewed.take(), "copies: those of partial blocks of 8 and of layer 11, routed twice");
                }
            }
        }
    }

    private static Layout.Format formatOf(Network network, int layer) {
        return ActivationTensor.of(network.layers().get(layer).output()).layout().format();
    }

    private static void assertAgreesWithTheReference(Network reference, Network network, long seed) {
        RandomWeights.fill(reference, seed);
        RandomWeights.fill(network, seed);
        float[] images = BackendPair.random(seed + 1, network.inputShape().size(), 0.5);
        reference.forward(images);
        network.forward(images);
        for (int layer = 0; layer < network.layers().size(); layer++) {
            assertAgree(reference.layerOutput(layer), network.layerOutput(layer),
                    network.cfgFile().getFileName() + " layer " + layer);
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

    /**
     * Nor quantised tensors in a blocked layout: a route may copy channels there that are not whole
     * blocks (a Java loop over floats), so hand-offs keep floats; with one channel per block they are bytes.
     */
    @Test
    void int8HandsOnBytesOnlyWithOneChannelPerBlock() {
        Shape shape = new Shape(1, 32, 4, 4);
        try (CpuBackend blocked = new CpuBackend(0, Layout.Format.BLOCKED_8, Precision.INT8);
             CpuBackend channelsLast = new CpuBackend(0, Layout.Format.CHANNELS_LAST, Precision.INT8);
             Tensor floats = blocked.allocateQuantised(shape, 1);
             Tensor bytes = channelsLast.allocateQuantised(shape, 1)) {
            assertFalse(ActivationTensor.of(floats).quantised(), "bytes in nChw8c");
            assertTrue(ActivationTensor.of(bytes).quantised(), "floats in nhwc");
        }
    }

    private static void assertAgree(float[] expected, float[] actual, String what) {
        ZooConformance.assertLayerAgrees(expected, actual, TOLERANCE, what);
    }
}
