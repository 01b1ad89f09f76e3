package org.jdarknet.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.BackendProxy;
import org.jdarknet.backend.Precision;
import org.jdarknet.backend.Tensor;
import org.jdarknet.backend.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which outputs an inference network hands on as bf16 hand-offs ({@link Backend#allocateRounded}),
 * worked out by hand from darknet's rules of which layer reads which: only outputs that
 * convolutions, max-pools and fully placed routes write, and that convolutions and max-pools read,
 * with a max-pool's input and output alike, a route's buffer and the outputs placed in it alike,
 * and never the network's output. Read off a backend that says it computes in bf16 and records
 * the tensors it gives for hand-offs and the views of them. A backend in another precision is
 * asked for none.
 */
class RoundedOutputsTest {

    @Test
    void denseBlocksHandOnTheirBuffersAndTheConvolutionsAndPoolsFeedingThem() {
        // 0 conv, 1 maxpool, 2 conv, 3 conv, 4 route(3,1), 5 conv, 6 conv, 7 route(6,4), 8 conv, 9 conv,
        // 10 route(9,7): one buffer for 1, 3, 4, 6, 7, 9 and 10, read only by convolutions; layer 0 feeds
        // the max-pool only, 2, 5 and 8 one convolution each. 11 is routed twice and copied by route 12,
        // so the buffer of 15 (12, 13, 14 in it), read by the average pool besides, keeps floats.
        assertEquals(Set.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10), handedOn("dense-blocks.cfg"));
    }

    @Test
    void residualBlocksHandOnWhatConvolutionsAndFusedShortcutsRead() {
        // 1 and 4 are read by the next convolution alone; 0 by convolution 1 and shortcut 3, fused
        // into convolution 2, whose output (3's) convolution 4 and shortcut 6, fused too, read. 5
        // writes 6's, which shortcut 8, a layer of its own, reads; the max-pool at 13 reads a
        // shortcut's floats. 14 writes shortcut 15's sampled sum, read by convolution 16 and
        // shortcut 17 fused into it; 16 writes 17's, which the average pool reads.
        assertEquals(Set.of(0, 1, 2, 3, 4, 14, 15), handedOn("residual-blocks.cfg"));
    }

    @Test
    void theNetworksOutputAndWhatNotConvolutionsReadKeepFloats() {
        // 0 conv, 1 maxpool, 2 conv (read by the batchnorm layer), 3 batchnorm, 4-5 connected, 6 softmax.
        assertEquals(Set.of(0, 1), handedOn("small.cfg"));
    }

    @Test
    void maxPoolsReadingTheInputOrWithWindowsOutsideTheImageKeepFloats(@TempDir Path directory) throws IOException {
        // 0 maxpool (reads the network's input), 1-2 conv, 3 maxpool with windows wholly outside the
        // image (padding 6: the first three rows of windows), 4 conv (read by the average pool).
        Path cfg = directory.resolve("pools.cfg");
        Files.writeString(cfg, String.join("\n", "[net]", "width=8", "height=8", "channels=3",
                "[maxpool]", "size=2", "stride=2",
                "[convolutional]", "filters=8", "size=3", "stride=1", "pad=1", "activation=leaky",
                "[convolutional]", "filters=8", "size=3", "stride=1", "pad=1", "activation=leaky",
                "[maxpool]", "size=2", "stride=1", "padding=6",
                "[convolutional]", "filters=8", "size=1", "activation=leaky",
                "[avgpool]", "[softmax]", ""));
        assertEquals(Set.of(1), handedOn(cfg, Precision.BF16));
    }

    @Test
    void aBackendInFp32IsAskedForNone() {
        assertEquals(Set.of(), handedOn("dense-blocks.cfg", Precision.FP32));
    }

    private static Set<Integer> handedOn(String cfg) {
        return handedOn(cfg, Precision.BF16);
    }

    private static Set<Integer> handedOn(String cfg, Precision precision) {
        return handedOn(Path.of("src/test/resources/cfg", cfg), precision);
    }

    /** The layers of {@code cfg}'s inference network whose outputs are hand-offs or views of one. */
    private static Set<Integer> handedOn(Path cfg, Precision precision) {
        Set<Tensor> rounded = Collections.newSetFromMap(new IdentityHashMap<>());
        Backend recording = BackendProxy.around(new ReferenceBackend(), (method, args, proceed) -> {
            if (method.equals("precision")) {
                return precision;
            }
            Object result = proceed.call();
            if (method.equals("allocateRounded") || method.equals("channelSlice") && rounded.contains(args[0])) {
                rounded.add(result instanceof Optional<?> view ? (Tensor) view.orElseThrow() : (Tensor) result);
            }
            return result;
        });
        try (Network network = Network.build(cfg, recording, 1)) {
            Set<Integer> layers = new TreeSet<>();
            for (int index = 0; index < network.layers().size(); index++) {
                if (rounded.contains(network.layers().get(index).output())) {
                    layers.add(index);
                }
            }
            return layers;
        }
    }
}
