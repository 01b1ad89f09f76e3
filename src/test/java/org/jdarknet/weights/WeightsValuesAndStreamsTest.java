package org.jdarknet.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jdarknet.net.Network;
import org.jdarknet.weights.SmallNet.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Weights a network cannot compute with (NaN, infinities, values whose products overflow) are
 * refused where they are, and weights that come from a pipe load as they do from a file.
 */
class WeightsValuesAndStreamsTest {
    @TempDir
    Path dir;

    /**
     * Offsets from small.cfg's layout (see {@link SmallNet}): a 20-byte header, then layer 0's
     * biases (4 floats), scales (4), means (4), variances (4), weights (108); layer 2's biases (2),
     * weights (8); layer 3's scales (2), rolling means (2), ...
     */
    @ParameterizedTest
    @CsvSource({
            "0, biases, 1, NaN, 24, 'NaN, which no network can compute with; a corrupt file?'",
            "0, weights, 0, Infinity, 84, 'Infinity, which no network can compute with; a corrupt file?'",
            "0, scales, 3, -Infinity, 48, '-Infinity, which no network can compute with; a corrupt file?'",
            "3, rolling_mean, 1, 1e30, 568, '1.0E30, so large that products with it overflow (trained values stay far below 1.8e+19); a corrupt file?'",
            "0, rolling_variance, 0, NaN, 68, 'NaN, which no variance can be; these weights do not fit this cfg'",
    })
    void theFirstValueNoNetworkCanUseIsNamedByLayerTensorAndOffset(int layer, String name, int index, float value,
                                                                    long offset, String problem) {
        Map<Tensor, float[]> values = SmallNet.sequential();
        values.get(tensor(layer, name))[index] = value;
        Path file = SmallNet.append(WeightsFile.header64(0, 2, 0, 0), values).write(dir.resolve("bad.weights"));
        String kind = layer == 3 ? "batchnorm" : "conv";
        try (Network network = SmallNet.build()) {
            WeightsException e = assertThrows(WeightsException.class, () -> WeightsReader.load(network, file));
            assertEquals(file + ": layer " + layer + " (" + kind + "): " + name + "[" + index + "] at byte " + offset
                    + " is " + problem, e.getMessage());
        }
    }

    /**
     * The check compares bits as integers, two values at a time where it can; what it must accept
     * is defined on floats: a magnitude of at most {@link WeightsReader#LARGEST_PLAUSIBLE}, and for
     * a variance no value below zero. Each value is tried first and second in its pair, and beside
     * a neighbour at the bound.
     */
    @ParameterizedTest
    @ValueSource(ints = {0x5f7fffff, 0x5f800000, 0x5f7ffffe, 0x5f800001, 0xdf7fffff, 0xdf800000, 0xdf800001, 0x80000000, 0x80000001, 0x00000001,
            0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7f800001, 0x3f800000, 0xbf800000})
    void exactlyTheFloatsWithinTheBoundLoad(int bits) {
        float value = Float.intBitsToFloat(bits);
        for (String name : List.of("weights", "rolling_variance")) {
            boolean plausible = Math.abs(value) <= WeightsReader.LARGEST_PLAUSIBLE
                    && !(name.equals("rolling_variance") && value < 0);
            for (int index : new int[] {2, 3}) {
                Map<Tensor, float[]> values = SmallNet.sequential();
                values.get(tensor(0, name))[index] = value;
                values.get(tensor(0, name))[index ^ 1] = WeightsReader.LARGEST_PLAUSIBLE;
                Path file = SmallNet.append(WeightsFile.header64(0, 2, 0, 0), values).write(dir.resolve("edge.weights"));
                try (Network network = SmallNet.build()) {
                    if (plausible) {
                        WeightsReader.load(network, file);
                        assertEquals(bits, Float.floatToRawIntBits(SmallNet.loaded(network, tensor(0, name))[index]));
                    } else {
                        WeightsException e = assertThrows(WeightsException.class, () -> WeightsReader.load(network, file),
                                name + " " + value);
                        assertTrue(e.getMessage().contains(name + "[" + index + "]"), e.getMessage());
                    }
                }
            }
        }
    }

    @Test
    void largeButHarmlessValuesStillLoad() {
        Map<Tensor, float[]> values = SmallNet.sequential();
        values.get(tensor(0, "weights"))[5] = -1e18f;
        Path file = SmallNet.append(WeightsFile.header64(0, 2, 0, 0), values).write(dir.resolve("large.weights"));
        try (Network network = SmallNet.build()) {
            WeightsReader.load(network, file);
            assertEquals(-1e18f, SmallNet.loaded(network, tensor(0, "weights"))[5]);
        }
    }

    @Test
    void aFifoIsReadInOrderAsFarAsTheCfgNeeds() throws Exception {
        Map<Tensor, float[]> values = SmallNet.random(7);
        byte[] bytes = SmallNet.append(WeightsFile.header64(0, 2, 0, 42), values).toBytes();
        try (Network network = SmallNet.build()) {
            Path fifo = fifoFedWith(bytes, "complete.fifo");
            WeightsReader.Report report = WeightsReader.load(network, fifo);
            assertEquals(42, network.seen());
            assertEquals(5, report.layersLoaded());
            for (Tensor tensor : SmallNet.LAYOUT) {
                assertArrayEquals(values.get(tensor), SmallNet.loaded(network, tensor), tensor.toString());
            }
        }
    }

    @Test
    void aFifoGetsTheSameChecksAsAFile() throws Exception {
        byte[] complete = SmallNet.append(WeightsFile.header64(0, 2, 0, 0), SmallNet.sequential()).toBytes();
        byte[] longer = java.util.Arrays.copyOf(complete, complete.length + 100_000);
        byte[] shorter = java.util.Arrays.copyOf(complete, 600);
        try (Network network = SmallNet.build()) {
            Path fifo = fifoFedWith(longer, "longer.fifo");
            assertEquals(fifo + ": 100000 bytes after the last layer: the cfg uses 1212 of the file's 101212 bytes."
                    + " Weights for another cfg?",
                    assertThrows(WeightsException.class, () -> WeightsReader.load(network, fifo)).getMessage());
            Path cut = fifoFedWith(shorter, "shorter.fifo");
            Path cutFile = Files.write(dir.resolve("shorter.weights"), shorter);
            String fromFile = assertThrows(WeightsException.class, () -> WeightsReader.load(network, cutFile)).getMessage();
            assertEquals(fromFile.replace(cutFile.toString(), cut.toString()),
                    assertThrows(WeightsException.class, () -> WeightsReader.load(network, cut)).getMessage());
        }
    }

    /** A named pipe with a writer that sends {@code bytes} and closes it. */
    private Path fifoFedWith(byte[] bytes, String name) throws IOException, InterruptedException {
        Path fifo = dir.resolve(name);
        boolean made;
        try {
            made = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor() == 0;
        } catch (IOException noMkfifo) {
            made = false;
        }
        if (!made) {
            System.err.println("skipped: mkfifo is not available to make a named pipe");
        }
        Assumptions.assumeTrue(made, "mkfifo is not available to make a named pipe");
        CompletableFuture.runAsync(() -> {
            try (OutputStream out = Files.newOutputStream(fifo)) {
                out.write(bytes);
            } catch (IOException readerClosedEarly) {
                // The reader stops where the cfg's values end; the rest of a long file is not wanted.
            }
        });
        return fifo;
    }

    private static Tensor tensor(int layer, String name) {
        return SmallNet.LAYOUT.stream().filter(t -> t.layer() == layer && t.name().equals(name)).findFirst().orElseThrow();
    }
}
