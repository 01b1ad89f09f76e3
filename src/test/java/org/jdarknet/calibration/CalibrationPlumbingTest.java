package org.jdarknet.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.Backends;
import org.jdarknet.backend.ConvolutionSpec;
import org.jdarknet.backend.Precision;
import org.jdarknet.backend.cpu.CpuBackend;
import org.jdarknet.backend.reference.ReferenceBackend;
import org.jdarknet.layers.ConvolutionalLayer;
import org.jdarknet.layers.Layer;
import org.jdarknet.net.Network;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A network built with a calibration: every convolution's spec carries the range of the tensor it
 * reads (the previous layer's output), except the classifier head's; without one, none does.
 */
class CalibrationPlumbingTest {
    private static final Path TINY = Path.of("cfg/tiny.cfg");
    /** conv, maxpool, conv, batchnorm, connected, connected, softmax: its last convolution feeds a connected layer. */
    private static final Path SMALL = Path.of("src/test/resources/cfg/small.cfg");

    @Test
    void inInt8EveryConvolutionButTheHeadGetsTheRangeOfItsInput() {
        Optional<String> problem = CpuBackend.unavailableReason();
        if (problem.isPresent()) {
            System.err.println("CalibrationPlumbingTest: the cpu backend is unavailable (" + problem.get() + ")");
        }
        Assumptions.assumeTrue(problem.isEmpty(), "the cpu backend is unavailable");
        Calibration calibration = CalibrationFileTest.madeUp(TINY);
        try (Backend int8 = Backends.create("cpu", 1, Precision.INT8);
             Network network = Network.build(TINY, int8, 1, calibration)) {
            int head = lastConvolution(network.layers());
            assertEquals(1000, network.layers().get(head).outputShape().c(), "tiny's head: the 1x1 convolution to 1000 classes");
            assertEquals("avg", network.layers().get(head + 1).kind());
            int calibrated = 0;
            for (Layer layer : network.layers()) {
                if (layer instanceof ConvolutionalLayer conv && layer.index() != head) {
                    float expected = layer.index() == 0 ? calibration.input()
                            : calibration.layers().get(layer.index() - 1).range();
                    assertEquals(expected, conv.spec().inputRange(), "layer " + layer.index());
                    calibrated++;
                }
            }
            assertTrue(calibrated >= 10, "tiny has many convolutions besides its head, found " + calibrated);
            assertTrue(Float.isNaN(((ConvolutionalLayer) network.layers().get(head)).spec().inputRange()), "the head");
        }
    }

    @Test
    void aConvolutionFollowedByAConnectedLayerIsNotAHead() {
        Calibration calibration = CalibrationFileTest.madeUp(SMALL);
        try (Network network = Network.build(SMALL, new ReferenceBackend(), 1, calibration)) {
            assertEquals(calibration.input(), spec(network, 0).inputRange());
            assertEquals(calibration.outputRange(1), spec(network, 2).inputRange());
            assertEquals("connected", network.layers().get(4).kind());
        }
    }

    @Test
    void withoutACalibrationNoConvolutionHasARange() {
        try (Network network = Network.build(TINY, new ReferenceBackend(), 1)) {
            for (Layer layer : network.layers()) {
                if (layer instanceof ConvolutionalLayer conv) {
                    assertTrue(Float.isNaN(conv.spec().inputRange()), "layer " + layer.index());
                }
            }
        }
    }

    @Test
    void theHeadIsTheLastConvolutionUnlessAConnectedLayerFollowsIt() {
        assertEquals(2, ConvolutionRanges.classifierHead(List.of("convolutional", "maxpool", "convolutional", "avgpool",
                "softmax", "cost")));
        assertEquals(-1, ConvolutionRanges.classifierHead(List.of("convolutional", "connected", "softmax")));
        assertEquals(1, ConvolutionRanges.classifierHead(List.of("connected", "convolutional", "softmax")));
        assertEquals(-1, ConvolutionRanges.classifierHead(List.of("connected", "softmax")));
    }

    private static int lastConvolution(List<Layer> layers) {
        for (int i = layers.size() - 1; i >= 0; i--) {
            if (layers.get(i) instanceof ConvolutionalLayer) {
                return i;
            }
        }
        throw new AssertionError("no convolution");
    }

    private static ConvolutionSpec spec(Network network, int index) {
        return ((ConvolutionalLayer) network.layers().get(index)).spec();
    }
}
