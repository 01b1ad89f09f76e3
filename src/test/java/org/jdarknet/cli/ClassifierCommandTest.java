package org.jdarknet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jdarknet.backend.reference.ReferenceBackend;
import org.jdarknet.net.Network;
import org.jdarknet.weights.RandomWeights;
import org.jdarknet.weights.WeightsWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jdarknet classifier predict DATA CFG WEIGHTS [IMAGE] [-t N]}, darknet's spelling. */
class ClassifierCommandTest {
    @TempDir
    Path dir;

    private final String data = CliFixture.data().toString();
    private final String cfg = CliFixture.CFG.toString();
    private final String weights = CliFixture.weights().toString();
    private final String image = CliFixture.image(1).toString();

    @Test
    void theDataFileGivesTheNamesAndHowMany() {
        Processes.Result result = Processes.jdarknet("classifier", "predict", data, cfg, weights, image);
        assertEquals(0, result.exitCode(), result.stderr());
        List<String> lines = result.stdout().lines().toList();
        assertEquals(3, lines.size(), "top=3 in the .data file");
        lines.forEach(line -> assertTrue(CliFixture.NAMES.contains(line.substring(line.indexOf("%: ") + 3)), line));
        assertTrue(result.stderr().startsWith(image + ": Predicted in "), result.stderr());
        assertEquals(2, Processes.jdarknet("classifier", "predict", data, cfg, weights, image, "-t", "2").stdout().lines().count());
    }

    /** Without names=, darknet takes labels=; without top=, 1. */
    @Test
    void labelsWhenThereAreNoNames() throws IOException {
        Path labelsOnly = Files.writeString(dir.resolve("labels.data"), "labels=" + CliFixture.names() + "\n");
        Processes.Result result = Processes.jdarknet("classifier", "predict", labelsOnly.toString(), cfg, weights, image);
        assertEquals(0, result.exitCode(), result.stderr());
        String line = result.stdout().strip();
        assertTrue(CliFixture.NAMES.contains(line.substring(line.indexOf("%: ") + 3)), line);
    }

    @Test
    void imagePathsFromStdin() {
        Processes.Result result = Processes.jdarknetWithInput(image + "\n" + CliFixture.image(2) + "\n",
                "classifier", "predict", data, cfg, weights);
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals(List.of(image + ":", CliFixture.image(2) + ":"),
                result.stdout().lines().filter(l -> l.endsWith(".png:")).toList());
    }

    @Test
    void aBadDataFileIsNamed() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.data"), "classes=8\ntop=none\n");
        Processes.Result result = Processes.jdarknet("classifier", "predict", bad.toString(), cfg, weights, image);
        assertEquals(1, result.exitCode());
        assertEquals(List.of("error: " + bad + ":2: 'top': expected an integer, found 'none'"), result.stderrLines());
    }

    /**
     * The C darknet prints the same lines for the same files, and its timing on stderr too. Its CPU
     * [batchnorm] layer crashes (it writes to l.x, which only training allocates), so this runs
     * small.cfg without that layer.
     */
    @Test
    void printsWhatDarknetPrints() throws IOException {
        Processes.assumeDarknet();
        String text = Files.readString(CliFixture.CFG);
        Path runnable = Files.writeString(dir.resolve("runnable.cfg"), text.replace("[batchnorm]\n", ""));
        Path runnableWeights = dir.resolve("runnable.weights");
        try (Network network = Network.build(runnable, new ReferenceBackend(), 1)) {
            RandomWeights.fill(network, 8);
            RandomWeights.calibrateHead(network, RandomWeights.testPattern(6, 6, 3), 2.0);
            WeightsWriter.save(network, runnableWeights);
        }
        for (List<String> top : List.of(List.<String>of(), List.of("-t", "5"))) {
            List<String> args = new ArrayList<>(List.of("classifier", "predict", data, runnable.toString(),
                    runnableWeights.toString(), image));
            args.addAll(top);
            Processes.Result darknet = Processes.darknet(args.toArray(String[]::new));
            Processes.Result ours = Processes.jdarknet(args.toArray(String[]::new));
            assertEquals(0, darknet.exitCode(), darknet.stderr());
            assertEquals(darknet.stdout(), ours.stdout());
            assertTrue(darknet.stderr().contains(image + ": Predicted in "), darknet.stderr());
        }
    }
}
