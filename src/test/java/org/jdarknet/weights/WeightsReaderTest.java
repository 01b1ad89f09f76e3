package org.jdarknet.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.jdarknet.Log;
import org.jdarknet.net.Network;
import org.jdarknet.weights.SmallNet.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading weights files written by hand in darknet's layout (see {@link SmallNet}). */
class WeightsReaderTest {
    @TempDir
    Path dir;

    /** Byte offsets in a 0.2.0 file for small.cfg, summed by hand from the layout. */
    private static final int AFTER_LAYER_3 = 20 + 4 * (124 + 10 + 6);
    private static final int CONNECTED_4_WEIGHTS = AFTER_LAYER_3 + 4 * 5;

    @Test
    void readsEachTensorFromItsPlaceInTheFile() {
        Map<Tensor, float[]> values = SmallNet.sequential();
        Path file = SmallNet.append(WeightsFile.header64(0, 2, 0, 0), values).write(dir.resolve("seq.weights"));
        assertEquals(SmallNet.FILE_SIZE, file.toFile().length());
        try (Network network = SmallNet.build()) {
            WeightsReader.Report report = WeightsReader.load(network, file);
            assertEquals(5, report.layersLoaded());
            assertEquals(5, report.layersWithWeights());
            assertFalse(report.partial());
            // Spot checks computed by hand: the values are their 1-based position after the header.
            assertArrayEquals(new float[] {1, 2, 3, 4}, SmallNet.loaded(network, tensor(0, "biases")));
            assertArrayEquals(new float[] {13, 14, 15, 16}, SmallNet.loaded(network, tensor(0, "rolling_variance")));
            assertEquals(17, SmallNet.loaded(network, tensor(0, "weights"))[0]);
            assertArrayEquals(new float[] {135, 136}, SmallNet.loaded(network, tensor(3, "scales")));
            assertArrayEquals(new float[] {141, 142, 143, 144, 145}, SmallNet.loaded(network, tensor(4, "biases")));
            assertEquals(146, SmallNet.loaded(network, tensor(4, "weights"))[0]);
            assertArrayEquals(new float[] {236, 237, 238, 239, 240}, SmallNet.loaded(network, tensor(4, "scales")));
            assertEquals(298, SmallNet.loaded(network, tensor(5, "weights"))[39]);
            for (Tensor tensor : SmallNet.LAYOUT) {
                assertArrayEquals(values.get(tensor), SmallNet.loaded(network, tensor), tensor.toString());
            }
        }
    }

    @Test
    void version020HasA64BitSeen() {
        long seen = (1L << 40) + 7;
        Path file = SmallNet.append(WeightsFile.header64(0, 2, 0, seen), SmallNet.sequential()).write(dir.resolve("v020.weights"));
        try (Network network = SmallNet.build()) {
            WeightsReader.Report report = WeightsReader.load(network, file);
            assertEquals(seen, network.seen());
            assertEquals(new WeightsHeader(0, 2, 0, seen), report.header());
            assertArrayEquals(new float[] {1, 2, 3, 4}, SmallNet.loaded(network, tensor(0, "biases")));
        }
    }

    /** Below 0.2.0, {@code seen} is an int: the values start at byte 16. Version 1000 is 32-bit too. */
    @ParameterizedTest
    @CsvSource({"0, 1, 0", "1000, 0, 0", "0, 1000, 3"})
    void olderAndOddVersionsHaveA32BitSeen(int major, int minor, int revision) {
        Path file = SmallNet.append(WeightsFile.header32(major, minor, revision, 123456), SmallNet.sequential())
                .write(dir.resolve("v32.weights"));
        assertEquals(SmallNet.FILE_SIZE - 4, file.toFile().length());
        try (Network network = SmallNet.build()) {
            WeightsReader.Report report = WeightsReader.load(network, file);
            assertEquals(123456, network.seen());
            assertFalse(report.header().transposed(), "only versions above 1000 are transposed");
            for (Tensor tensor : SmallNet.LAYOUT) {
                assertArrayEquals(SmallNet.sequential().get(tensor), SmallNet.loaded(network, tensor), tensor.toString());
            }
        }
    }

    /**
     * A major or minor version above 1000 means the connected layers' weights are stored inputs x
     * outputs: the same network written that way by hand must compute exactly the same outputs.
     */
    @ParameterizedTest
    @CsvSource({"1001, 0", "0, 1001"})
    void connectedWeightsAreTransposedAboveVersion1000(int major, int minor) {
        Map<Tensor, float[]> values = SmallNet.random(7);
        Path plain = SmallNet.append(WeightsFile.header64(0, 2, 0, 0), values).write(dir.resolve("plain.weights"));
        WeightsFile transposedFile = SmallNet.append(WeightsFile.header32(major, minor, 0, 0), values,
                (tensor, slice) -> isConnectedWeights(tensor) ? SmallNet.transpose(slice, tensor.rows(), tensor.columns()) : slice);
        Path transposed = transposedFile.write(dir.resolve("transposed.weights"));
        float[] input = pattern(6 * 6 * 3);
        float[] expected = outputs(plain, input);
        assertArrayEquals(expected, outputs(transposed, input));

        // The same bytes under a header that does not say "transposed" give another network.
        byte[] bytes = transposedFile.toBytes();
        byte[] unflagged = WeightsFile.header32(0, 1, 0, 0).raw(Arrays.copyOfRange(bytes, 16, bytes.length)).toBytes();
        Path misread = writeBytes("misread.weights", unflagged);
        assertFalse(Arrays.equals(expected, outputs(misread, input)));
    }

    @Test
    void aFileEndingInsideALayerNamesTheLayerTheOffsetAndTheSize() throws IOException {
        byte[] complete = SmallNet.append(WeightsFile.header64(0, 2, 0, 0), SmallNet.sequential()).toBytes();
        Path cut = writeBytes("cut.weights", Arrays.copyOf(complete, CONNECTED_4_WEIGHTS + 12));
        try (Network network = SmallNet.build()) {
            WeightsException e = assertThrows(WeightsException.class, () -> WeightsReader.load(network, cut, true));
            assertEquals(cut + ": ends inside layer 4 (connected): its weights need 360 bytes from byte "
                    + CONNECTED_4_WEIGHTS + ", but only 12 remain (the cfg needs 1212 bytes in all)."
                    + " Truncated download, or weights for another cfg?", e.getMessage());
        }
        // Between two tensors of one layer is still inside the layer.
        Path betweenTensors = writeBytes("between.weights", Arrays.copyOf(complete, CONNECTED_4_WEIGHTS));
        try (Network network = SmallNet.build()) {
            WeightsException e = assertThrows(WeightsException.class, () -> WeightsReader.load(network, betweenTensors, true));
            assertTrue(e.getMessage().contains("ends inside layer 4 (connected)"), e.getMessage());
        }
    }

    @Test
    void aFileEndingAtALayerBoundaryIsPartial() {
        byte[] complete = SmallNet.append(WeightsFile.header64(0, 2, 0, 0), SmallNet.sequential()).toBytes();
        Path partial = writeBytes("partial.weights", Arrays.copyOf(complete, AFTER_LAYER_3));
        try (Network network = SmallNet.build()) {
            WeightsException e = assertThrows(WeightsException.class, () -> WeightsReader.load(network, partial));
            assertEquals(partial + ": a partial file: it ends at byte " + AFTER_LAYER_3 + ", after the values of 3 of"
                    + " the 5 layers with weights (a complete file for this cfg has 1212 bytes). Partial files,"
                    + " as 'partial' writes them, can start training but not classify", e.getMessage());
        }
        try (Network network = SmallNet.build()) {
            WeightsReader.Report report = WeightsReader.load(network, partial, true);
            assertTrue(report.partial());
            assertEquals(3, report.layersLoaded());
            assertEquals(5, report.layersWithWeights());
            assertEquals(4, report.coveredLayers(), "layers 0..3 came from the file");
            assertArrayEquals(new float[] {139, 140}, SmallNet.loaded(network, tensor(3, "rolling_variance")));
            assertArrayEquals(new float[5], SmallNet.loaded(network, tensor(4, "biases")), "not in the file: still zero");
        }
    }

    @Test
    void aHeaderAloneIsAPartialFileWithNoLayers() {
        Path header = WeightsFile.header64(0, 2, 0, 99).write(dir.resolve("header.weights"));
        try (Network network = SmallNet.build()) {
            WeightsReader.Report report = WeightsReader.load(network, header, true);
            assertEquals(0, report.layersLoaded());
            assertEquals(0, report.coveredLayers());
            assertEquals(99, network.seen());
        }
    }

    @Test
    void trailingBytesAreAnErrorForACompleteLoadAndAWarningOtherwise() {
        Path longer = SmallNet.append(WeightsFile.header64(0, 2, 0, 0), SmallNet.sequential())
                .raw(new byte[8]).write(dir.resolve("long.weights"));
        try (Network network = SmallNet.build()) {
            WeightsException e = assertThrows(WeightsException.class, () -> WeightsReader.load(network, longer));
            assertEquals(longer + ": 8 bytes after the last layer: the cfg uses 1212 of the file's 1220 bytes."
                    + " Weights for another cfg?", e.getMessage());
        }
        Log.setQuiet(true);
        try (Network network = SmallNet.build()) {
            WeightsReader.Report report = WeightsReader.load(network, longer, true);
            assertEquals(8, report.trailingBytes());
            assertFalse(report.partial());
            assertEquals(298, SmallNet.loaded(network, tensor(5, "weights"))[39]);
        } finally {
            Log.setQuiet(false);
        }
    }

    @Test
    void aNegativeVarianceMeansTheBytesWereMeantForSomethingElse() {
        Map<Tensor, float[]> values = SmallNet.sequential();
        values.get(tensor(4, "rolling_variance"))[2] = -1;
        Path file = SmallNet.append(WeightsFile.header64(0, 2, 0, 0), values).write(dir.resolve("negative.weights"));
        try (Network network = SmallNet.build()) {
            WeightsException e = assertThrows(WeightsException.class, () -> WeightsReader.load(network, file));
            // rolling_variance of layer 4 holds floats 246..250: the third is float 248, at 20 + 4 * 247.
            assertEquals(file + ": layer 4 (connected): rolling_variance[2] at byte 1008 is -1.0, which no variance"
                    + " can be; these weights do not fit this cfg", e.getMessage());
        }
    }

    @Test
    void filesThatAreNotWeightsFiles() {
        Path empty = writeBytes("empty.weights", new byte[0]);
        Path png = writeBytes("image.weights", new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'});
        Path html = writeBytes("page.weights", "<!DOCTYPE html><html><head><title>Moved</title></head></html>".getBytes());
        try (Network network = SmallNet.build()) {
            assertEquals(empty + ": only 0 bytes; a darknet weights file starts with a header of at least 16",
                    assertThrows(WeightsException.class, () -> WeightsReader.load(network, empty)).getMessage());
            assertTrue(assertThrows(WeightsException.class, () -> WeightsReader.load(network, png)).getMessage()
                    .startsWith(png + ": not a darknet weights file: its header would be version "));
            assertTrue(assertThrows(WeightsException.class, () -> WeightsReader.load(network, html)).getMessage()
                    .startsWith(html + ": not a darknet weights file"));
            assertEquals(dir + ": is a directory, not a weights file",
                    assertThrows(WeightsException.class, () -> WeightsReader.load(network, dir)).getMessage());
            Path missing = dir.resolve("missing.weights");
            assertEquals(missing + ": file not found",
                    assertThrows(WeightsException.class, () -> WeightsReader.load(network, missing)).getMessage());
        }
    }

    /** {@code dontload=1}: the file has nothing for the layer, which keeps its initial values. */
    @Test
    void dontloadSkipsTheLayerInTheFile() throws IOException {
        Path cfg = editedCfg("filters=2\n", "filters=2\ndontload=1\n");
        Map<Tensor, float[]> values = SmallNet.sequential();
        values.keySet().removeIf(tensor -> tensor.layer() == 2);
        Path file = SmallNet.append(WeightsFile.header64(0, 2, 0, 0), values).write(dir.resolve("dontload.weights"));
        try (Network network = SmallNet.build(cfg)) {
            WeightsReader.Report report = WeightsReader.load(network, file);
            assertEquals(4, report.layersWithWeights());
            assertArrayEquals(new float[2], SmallNet.loaded(network, tensor(2, "biases")));
            assertArrayEquals(new float[8], SmallNet.loaded(network, tensor(2, "weights")));
            for (Tensor tensor : values.keySet()) {
                assertArrayEquals(values.get(tensor), SmallNet.loaded(network, tensor), tensor.toString());
            }
        }
    }

    /**
     * {@code dontloadscales=1}: a convolutional or connected layer's file entry lacks its batch-norm
     * values, which keep their initial scales 1, mean 0, variance 0. Darknet's [batchnorm] layer
     * ignores the key and reads its three vectors.
     */
    @Test
    void dontloadscalesSkipsTheBatchNormValuesOfConvolutionalAndConnectedLayers() throws IOException {
        String text = Files.readString(SmallNet.CFG).replace("batch_normalize=1\n", "batch_normalize=1\ndontloadscales=1\n")
                .replace("[batchnorm]\n", "[batchnorm]\ndontloadscales=1\n");
        Path cfg = Files.writeString(dir.resolve("dontloadscales.cfg"), text);
        Map<Tensor, float[]> values = SmallNet.sequential();
        values.keySet().removeIf(tensor -> (tensor.layer() == 0 || tensor.layer() == 4)
                && !tensor.name().equals("biases") && !tensor.name().equals("weights"));
        Path file = SmallNet.append(WeightsFile.header64(0, 2, 0, 0), values).write(dir.resolve("noscales.weights"));
        assertEquals(SmallNet.FILE_SIZE - 4 * (12 + 15), file.toFile().length());
        try (Network network = SmallNet.build(cfg)) {
            WeightsReader.load(network, file);
            assertArrayEquals(new float[] {1, 1, 1, 1}, SmallNet.loaded(network, tensor(0, "scales")));
            assertArrayEquals(new float[4], SmallNet.loaded(network, tensor(0, "rolling_variance")));
            assertArrayEquals(new float[] {1, 1, 1, 1, 1}, SmallNet.loaded(network, tensor(4, "scales")));
            for (Tensor tensor : values.keySet()) {
                assertArrayEquals(values.get(tensor), SmallNet.loaded(network, tensor), tensor.toString());
            }
        }
    }

    /** {@code flipped=1}: a convolution's weights are stored (channels*size*size) x filters. */
    @Test
    void flippedConvolutionWeightsAreTransposed() throws IOException {
        Path cfg = editedCfg("filters=4\n", "filters=4\nflipped=1\n");
        Map<Tensor, float[]> values = SmallNet.random(3);
        Tensor weights = tensor(0, "weights");
        Path file = SmallNet.append(WeightsFile.header64(0, 2, 0, 0), values,
                (tensor, slice) -> tensor.equals(weights) ? SmallNet.transpose(slice, 4, 27) : slice)
                .write(dir.resolve("flipped.weights"));
        try (Network network = SmallNet.build(cfg)) {
            WeightsReader.load(network, file);
            for (Tensor tensor : SmallNet.LAYOUT) {
                assertArrayEquals(values.get(tensor), SmallNet.loaded(network, tensor), tensor.toString());
            }
        }
    }

    private static boolean isConnectedWeights(Tensor tensor) {
        return tensor.name().equals("weights") && (tensor.layer() == 4 || tensor.layer() == 5);
    }

    private static Tensor tensor(int layer, String name) {
        return SmallNet.LAYOUT.stream().filter(t -> t.layer() == layer && t.name().equals(name)).findFirst().orElseThrow();
    }

    private static float[] outputs(Path weights, float[] input) {
        try (Network network = SmallNet.build()) {
            WeightsReader.load(network, weights);
            return network.output(input);
        }
    }

    /** A deterministic input in [0, 1]. */
    static float[] pattern(int size) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (i * 37 % 101) / 100f;
        }
        return values;
    }

    private Path editedCfg(String target, String replacement) throws IOException {
        String text = Files.readString(SmallNet.CFG);
        assertTrue(text.contains(target));
        return Files.writeString(dir.resolve("edited.cfg"), text.replace(target, replacement));
    }

    private Path writeBytes(String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
