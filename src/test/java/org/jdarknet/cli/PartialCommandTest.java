package org.jdarknet.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdarknet.backend.reference.ReferenceBackend;
import org.jdarknet.net.Network;
import org.jdarknet.weights.RandomWeights;
import org.jdarknet.weights.SmallNet;
import org.jdarknet.weights.SmallNet.Tensor;
import org.jdarknet.weights.WeightsFile;
import org.jdarknet.weights.WeightsWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code jdarknet partial CFG WEIGHTS OUT N}: the first N layers, in a 0.2.0 file with seen = 0,
 * whatever header the input had. Checked against a file laid out by hand and against
 * {@code darknet partial}'s output, byte for byte.
 */
class PartialCommandTest {
    @TempDir
    Path dir;

    private static final Map<Tensor, float[]> VALUES = SmallNet.random(21);

    /**
     * Input files with each kind of header; the transposed ones (a version above 1000) store the
     * connected layers' weights inputs x outputs. The output is always darknet's current layout.
     */
    @ParameterizedTest
    @CsvSource({"0, 2, 0, 100", "0, 2, 5, 3", "0, 1, 0, 100", "1000, 0, 0, 100", "1001, 0, 0, 100", "0, 1001, 0, 5"})
    void writesTheFirstLayersInDarknetsCurrentLayout(int major, int minor, int revision, int layers) throws IOException {
        Path input = input(major, minor, revision).write(dir.resolve("in.weights"));
        Path output = dir.resolve("out.weights");
        Processes.Result result = Processes.jdarknet("partial", SmallNet.CFG.toString(), input.toString(), output.toString(),
                Integer.toString(layers));
        assertEquals(0, result.exitCode(), result.stderr());
        Map<Tensor, float[]> kept = new LinkedHashMap<>(VALUES);
        kept.keySet().removeIf(tensor -> tensor.layer() >= layers);
        assertArrayEquals(SmallNet.append(WeightsFile.header64(0, 2, 0, 0), kept).toBytes(), Files.readAllBytes(output));
    }

    @ParameterizedTest
    @CsvSource({"0, 2, 0, 100", "0, 2, 5, 3", "0, 1, 0, 100", "1000, 0, 0, 100", "1001, 0, 0, 100", "0, 1001, 0, 5"})
    void writesWhatDarknetPartialWrites(int major, int minor, int revision, int layers) throws IOException {
        Processes.assumeDarknet();
        Path input = input(major, minor, revision).write(dir.resolve("in.weights"));
        assertSameOutput(SmallNet.CFG, input, layers);
    }

    /** dontloadscales, flipped and [batchnorm] as darknet reads them: its rewrite equals ours. */
    @Test
    void readsDontloadscalesAndFlippedAsDarknetDoes() throws IOException {
        Processes.assumeDarknet();
        String text = Files.readString(SmallNet.CFG).replace("batch_normalize=1\n", "batch_normalize=1\ndontloadscales=1\n")
                .replace("[batchnorm]\n", "[batchnorm]\ndontloadscales=1\n").replace("filters=4\n", "filters=4\nflipped=1\n");
        Path cfg = Files.writeString(dir.resolve("variants.cfg"), text);
        Map<Tensor, float[]> stored = new LinkedHashMap<>(VALUES);
        stored.keySet().removeIf(t -> (t.layer() == 0 || t.layer() == 4) && !t.name().equals("biases") && !t.name().equals("weights"));
        Path input = SmallNet.append(WeightsFile.header64(0, 2, 0, 0), stored).write(dir.resolve("variants.weights"));
        assertSameOutput(cfg, input, 100);
    }

    /** Darknet's tiny with seeded random weights: its first five layers. */
    @Test
    void aZooModelAsDarknetDoes() {
        Processes.assumeDarknet();
        Path cfg = Path.of("cfg/tiny.cfg");
        Path input = dir.resolve("tiny.weights");
        try (Network network = Network.build(cfg, new ReferenceBackend(), 1)) {
            RandomWeights.fill(network, 3);
            network.setSeen(1234);
            WeightsWriter.save(network, input);
        }
        assertSameOutput(cfg, input, 5);
    }

    /** Darknet would fill the layers a partial input lacks with its random initial values. */
    @Test
    void refusesToWriteLayersTheInputDoesNotHave() throws IOException {
        byte[] complete = input(0, 2, 0).toBytes();
        // Layers 0..3: 20 header bytes and 140 floats.
        Path partial = Files.write(dir.resolve("partial.weights"), Arrays.copyOf(complete, 20 + 4 * 140));
        Path output = dir.resolve("out.weights");
        Processes.Result refused = Processes.jdarknet("partial", SmallNet.CFG.toString(), partial.toString(),
                output.toString(), "5");
        assertEquals(1, refused.exitCode());
        assertEquals(List.of("error: " + partial + ": a partial file that ends before layer 4, so it cannot give the first 5 layers"),
                refused.stderrLines());
        assertFalse(Files.exists(output));

        Processes.Result allowed = Processes.jdarknet("partial", SmallNet.CFG.toString(), partial.toString(), output.toString(), "4");
        assertEquals(0, allowed.exitCode(), allowed.stderr());
        byte[] expected = Arrays.copyOf(complete, 20 + 4 * 140);
        Arrays.fill(expected, 12, 20, (byte) 0);
        assertArrayEquals(expected, Files.readAllBytes(output), "the input with seen = 0");
    }

    private void assertSameOutput(Path cfg, Path input, int layers) {
        Path ours = dir.resolve("ours.weights");
        Path theirs = dir.resolve("darknet.weights");
        String n = Integer.toString(layers);
        Processes.Result result = Processes.jdarknet("partial", cfg.toString(), input.toString(), ours.toString(), n);
        assertEquals(0, result.exitCode(), result.stderr());
        Processes.Result darknet = Processes.darknet("partial", cfg.toString(), input.toString(), theirs.toString(), n);
        assertEquals(0, darknet.exitCode(), darknet.stderr());
        try {
            assertArrayEquals(Files.readAllBytes(theirs), Files.readAllBytes(ours));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** VALUES under the given header, with the connected weights transposed when the version says so. */
    private static WeightsFile input(int major, int minor, int revision) {
        boolean wideSeen = major * 10 + minor >= 2 && major < 1000 && minor < 1000;
        boolean transposed = major > 1000 || minor > 1000;
        WeightsFile file = wideSeen ? WeightsFile.header64(major, minor, revision, 987654321L)
                : WeightsFile.header32(major, minor, revision, 4321);
        return SmallNet.append(file, VALUES, (tensor, slice) -> transposed && tensor.name().equals("weights") && tensor.layer() >= 4
                ? SmallNet.transpose(slice, tensor.rows(), tensor.columns()) : slice);
    }
}
