package org.jdarknet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdarknet.backend.reference.ReferenceBackend;
import org.jdarknet.net.Network;
import org.jdarknet.weights.WeightsReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training on replicas from the command line: darknet's {@code -gpus} says plainly that there is
 * no GPU here, {@code --replicas N} trains N replicas on the CPU in either scheme, and what cannot
 * be done is a one-line error.
 */
class ReplicaTrainingTest {
    private static final Pattern PROGRESS = Pattern.compile(
            "(\\d+), \\d+\\.\\d{3}: (\\d+\\.\\d{6}), (\\d+\\.\\d{6}) avg, (\\d+\\.\\d{6}) rate, \\d+\\.\\d{6} seconds, (\\d+) images");

    @TempDir
    Path dir;

    @Test
    void gpusSaysGpusAreNotAvailableOnBothTrainingCommands() throws IOException {
        TrainingFixture.colours(dir, 2);
        for (List<String> command : List.of(train("-gpus", "0,1"), classifierTrain("-gpus", "0,1"))) {
            Processes.Result result = Processes.jdarknet(command.toArray(String[]::new));
            assertEquals(1, result.exitCode(), result.stderr());
            assertEquals(List.of("error: -gpus 0,1: GPUs are not available: this build of jdarknet has no CUDA"
                    + " backend; --replicas 2 trains as many replicas on the CPU"), errorLines(result), result.stderr());
        }
    }

    @Test
    void whatCannotBeDoneIsAOneLineError() {
        TrainingFixture.colours(dir, 2);
        assertOneLineError(train("-gpus", "0,x"), "-gpus 0,x: expected GPU numbers separated by commas");
        assertOneLineError(train("--replicas", "4"), "batch/subdivisions has 6 images, which 4 replicas cannot share evenly");
        assertOneLineError(train("--replicas", "0"), "--replicas must be at least 1");
        assertOneLineError(train("--replicas", "2", "--replica-sync", "ring"), "unknown replica synchronisation 'ring'");
    }

    /** colours.cfg: batch 12 in 2 subdivisions, so each of 2 replicas trains on 3 images a pass. */
    @Test
    void twoReplicasLearnAsOneNetworkDoes() {
        TrainingFixture.colours(dir, 20);
        Processes.Result result = Processes.jdarknet(train("--replicas", "2", "--max-batches", "40").toArray(String[]::new));
        assertEquals(0, result.exitCode(), result.stderr());
        assertTrue(result.stderr().contains("2 replicas, allreduce"), result.stderr());
        List<Matcher> lines = progress(result);
        assertEquals(40, lines.size(), "a progress line per batch of 12, as with one network");
        for (int i = 0; i < lines.size(); i++) {
            assertEquals(i + 1, Integer.parseInt(lines.get(i).group(1)));
            assertEquals(12L * (i + 1), Long.parseLong(lines.get(i).group(5)), "images seen");
            assertEquals("0.050000", lines.get(i).group(4), "the cfg's rate");
        }
        assertTrue(Float.parseFloat(lines.get(39).group(3)) < Float.parseFloat(lines.get(0).group(3)) / 3,
                "the loss fell: " + lines.get(39).group());
        assertTrue(Files.exists(dir.resolve("backup/colours.weights")));
    }

    /**
     * Through the whole training loop (loader, schedule, solver, checkpoint): without batch norm,
     * 2 and 3 replicas write the weights one network writes from the same seed, within rounding.
     */
    @Test
    void replicasWriteTheWeightsOneNetworkWrites() throws IOException {
        TrainingFixture.colours(dir, 10);
        Path cfg = Files.writeString(dir.resolve("plain.cfg"), Files.readString(TrainingFixture.CFG)
                .replace("batch_normalize=1\n", ""));
        List<List<float[]>> weights = new ArrayList<>();
        for (String count : List.of("1", "2", "3")) {
            Path backup = dir.resolve("backup" + count);
            Processes.Result result = Processes.jdarknet("train", cfg.toString(), "--data", dir.resolve("train").toString(),
                    "--backup", backup.toString(), "--backend", "reference", "--seed", "5", "--max-batches", "10",
                    "--replicas", count);
            assertEquals(0, result.exitCode(), result.stderr());
            weights.add(parameters(cfg, backup.resolve("plain.weights")));
        }
        for (List<float[]> replicated : weights.subList(1, 3)) {
            for (int t = 0; t < replicated.size(); t++) {
                float[] expected = weights.get(0).get(t);
                double largest = 0;
                for (float value : expected) {
                    largest = Math.max(largest, Math.abs(value));
                }
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], replicated.get(t)[i], 1e-4 * largest, "tensor " + t + " [" + i + "]");
                }
            }
        }
    }

    private static List<float[]> parameters(Path cfg, Path weights) {
        try (Network network = Network.build(cfg, new ReferenceBackend(), 1)) {
            WeightsReader.load(network, weights);
            assertEquals(120, network.seen(), "10 batches of 12 images");
            return network.layers().stream().flatMap(layer -> layer.parameters().stream())
                    .map(parameter -> network.backend().download(parameter.value())).toList();
        }
    }

    /** Darknet's scheme: a batch per replica, the rate doubled, each step counting both replicas' images. */
    @Test
    void darknetsSchemeCountsEveryReplicasImagesAndDoublesTheRate() {
        TrainingFixture.colours(dir, 20);
        Processes.Result result = Processes.jdarknet(train("--replicas", "2", "--replica-sync", "average",
                "--max-batches", "16").toArray(String[]::new));
        assertEquals(0, result.exitCode(), result.stderr());
        List<Matcher> lines = progress(result);
        assertEquals(8, lines.size(), "8 steps of 2 batches each reach batch 16");
        for (int i = 0; i < lines.size(); i++) {
            assertEquals(2 * (i + 1), Integer.parseInt(lines.get(i).group(1)), "batch");
            assertEquals(24L * (i + 1), Long.parseLong(lines.get(i).group(5)), "images seen");
            assertEquals("0.100000", lines.get(i).group(4), "learning_rate=0.05 times 2 replicas");
        }
    }

    @Test
    void helpNamesTheOptions() {
        Processes.Result help = Processes.jdarknet("train", "--help");
        for (String option : List.of("-gpus", "--replicas", "--replica-sync")) {
            assertTrue(help.stdout().contains(option), help.stdout());
        }
    }

    private List<String> train(String... extra) {
        List<String> command = new ArrayList<>(List.of("train", TrainingFixture.CFG.toString(), "--data",
                dir.resolve("train").toString(), "--backup", dir.resolve("backup").toString(), "--backend", "reference",
                "--seed", "5"));
        command.addAll(List.of(extra));
        return command;
    }

    private List<String> classifierTrain(String... extra) throws IOException {
        Path list = dir.resolve("train.list");
        try (var images = Files.walk(dir.resolve("train"))) {
            Files.write(list, images.filter(Files::isRegularFile).map(Path::toString).sorted().toList());
        }
        Files.write(dir.resolve("labels.list"), List.of(TrainingFixture.CLASSES));
        Path data = Files.writeString(dir.resolve("colours.data"), "classes=3\ntrain=" + list + "\nlabels="
                + dir.resolve("labels.list") + "\nbackup=" + dir.resolve("backup") + "\n");
        List<String> command = new ArrayList<>(List.of("classifier", "train", data.toString(),
                TrainingFixture.CFG.toString(), "--backend", "reference"));
        command.addAll(List.of(extra));
        return command;
    }

    private static void assertOneLineError(List<String> command, String expected) {
        Processes.Result result = Processes.jdarknet(command.toArray(String[]::new));
        assertEquals(1, result.exitCode(), result.stderr());
        List<String> errors = errorLines(result);
        assertEquals(1, errors.size(), result.stderr());
        assertTrue(errors.get(0).contains(expected), errors.get(0));
        assertTrue(!result.stderr().contains("\tat "), "no stack trace: " + result.stderr());
    }

    private static List<String> errorLines(Processes.Result result) {
        return result.stderrLines().stream().filter(line -> line.contains("error")).toList();
    }

    private static List<Matcher> progress(Processes.Result result) {
        return result.stdout().lines().map(PROGRESS::matcher).filter(Matcher::matches).toList();
    }
}
