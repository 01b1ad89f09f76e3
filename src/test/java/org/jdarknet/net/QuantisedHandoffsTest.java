package org.jdarknet.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.BackendProxy;
import org.jdarknet.backend.Precision;
import org.jdarknet.backend.Tensor;
import org.jdarknet.backend.reference.ReferenceBackend;
import org.jdarknet.calibration.Calibration;
import org.jdarknet.layers.Layer;
import org.junit.jupiter.api.Test;

/**
 * Which outputs an int8 network hands on quantised ({@link Backend#allocateQuantised}), and with
 * which range, worked out by hand from darknet's rules of which layer reads which: outputs of
 * quantised convolutions, max-pools and routes that only quantised convolutions (all with one
 * input range), shortcuts fused into quantised convolutions, max-pools and routes handing theirs
 * on read, with the convolutions' range, else the first route's. Each layer's calibrated output range here is its index plus one, so a
 * convolution at layer {@code i} reads its input with range {@code i}. Read off a backend that
 * says it computes in int8, declines every channel view as the cpu backend does in int8, and
 * records the tensors it gives for hand-offs.
 */
class QuantisedHandoffsTest {

    @Test
    void denseBlocksHandOnTheirRoutesAndWhatFeedsThem() {
        // 0 conv, 1 maxpool, 2 conv 1x1, 3 conv 3x3, 4 route(3,1), 5, 6, 7 route(6,4), 8, 9,
        // 10 route(9,7), 11 conv (the transition), 12 route(11), 13 route(11,12), 14 conv (the
        // head: fp32), 15 route(14,13), 16 avgpool, 17 softmax. Each 1x1 convolution reads the
        // route before it, which takes that range (the next route steps its integers again); each
        // 3x3 convolution is read by its route alone and takes the route's range; the stem's
        // convolution and max-pool take the first 1x1's. 11 is read by routes keeping floats (13
        // feeds the head), so 11 and those routes keep floats.
        Map<Integer, Float> expected = new TreeMap<>(Map.of(0, 2f, 1, 2f, 2, 3f, 3, 5f, 4, 5f, 5, 6f, 6, 8f, 7, 8f,
                8, 9f, 9, 11f));
        expected.put(10, 11f);
        expected.put(INPUT, 1f);
        assertEquals(expected, handedOn("dense-blocks.cfg"));
    }

    @Test
    void residualBlocksHandOnWhatConvolutionsAndFusedShortcutsRead() {
        // 1 and 4 are read by the next convolution alone. 0 is read by convolution 1 and by shortcut
        // 3, fused into convolution 2, which adds its bytes; 2 writes shortcut 3's output (one tensor),
        // read by convolution 4 and by shortcut 6, fused too: both take the convolutions' ranges.
        // 5 writes shortcut 6's output, which shortcut 8, a layer of its own, reads in floats; so
        // do the shortcuts after it. The max-pool at 13 would hand on to the convolution after it,
        // but it reads a shortcut's floats. 14 writes shortcut 15's sampled sum, read by convolution
        // 16 and by shortcut 17, fused into it; 16 writes 17's, which the average pool reads.
        Map<Integer, Float> expected = new TreeMap<>(Map.of(0, 1f, 1, 2f, 2, 4f, 3, 4f, 4, 5f, 14, 16f, 15, 16f));
        expected.put(INPUT, 1f);
        assertEquals(expected, handedOn("residual-blocks.cfg"));
    }

    /** The network's input, quantised with the calibration's input range (1) when the first layer is a convolution. */
    private static final int INPUT = -1;

    /** The layers of {@code cfg}'s int8 network whose outputs are quantised hand-offs, with their ranges (and {@link #INPUT}). */
    private static Map<Integer, Float> handedOn(String cfg) {
        Path file = Path.of("src/test/resources/cfg", cfg);
        Map<Tensor, Float> quantised = new IdentityHashMap<>();
        Backend recording = BackendProxy.around(new ReferenceBackend(), (method, args, proceed) -> {
            if (method.equals("precision")) {
                return Precision.INT8;
            }
            if (method.equals("channelSlice")) {
                return Optional.empty();
            }
            Object result = proceed.call();
            if (method.equals("allocateQuantised")) {
                quantised.put((Tensor) result, (Float) args[1]);
            }
            return result;
        });
        try (Network network = Network.build(file, recording, 1, rangesByIndex(file))) {
            Map<Integer, Float> layers = new TreeMap<>();
            if (quantised.containsKey(network.input())) {
                layers.put(INPUT, quantised.get(network.input()));
            }
            for (Layer layer : network.layers()) {
                Float range = quantised.get(layer.output());
                if (range != null) {
                    layers.put(layer.index(), range);
                }
            }
            return layers;
        }
    }

    /** A calibration of {@code cfg} giving layer {@code i}'s output the range {@code i + 1}. */
    private static Calibration rangesByIndex(Path cfg) {
        try (Network network = Network.build(cfg, new ReferenceBackend(), 1)) {
            List<Calibration.LayerRange> layers = new ArrayList<>();
            for (Layer layer : network.layers()) {
                layers.add(new Calibration.LayerRange(layer.index(), layer.kind(), layer.index() + 1));
            }
            return new Calibration(cfg.getFileName().toString(),
                    Calibration.fingerprint(network.inputShape(), network.layers()), 1, 1, layers, null);
        }
    }
}
