package org.jdarknet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.jdarknet.backend.reference.ReferenceBackend;
import org.jdarknet.net.Network;
import org.jdarknet.weights.WeightsReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jdarknet train} run as a user runs it: it learns, writes darknet's checkpoints and progress
 * lines, survives Ctrl-C and kill -9 without a broken file, resumes where it stopped, and stops
 * on a diverging loss without overwriting the last good weights.
 */
class TrainCommandTest {
    /** Darknet's progress line: batch, epoch: loss, avg, rate, seconds, images. */
    private static final Pattern PROGRESS = Pattern.compile(
            "(\\d+), (\\d+\\.\\d{3}): (\\d+\\.\\d{6}), (\\d+\\.\\d{6}) avg, (\\d+\\.\\d{6}) rate, (\\d+\\.\\d{6}) seconds, (\\d+) images");

    @TempDir
    Path dir;

    @Test
    void learnsAndWritesDarknetsCheckpoints() throws Exception {
        TrainingFixture.colours(dir, 20);
        Path backup = dir.resolve("backup");
        Processes.Result result = Processes.jdarknet("train", TrainingFixture.CFG.toString(), "--data", dir.resolve("train").toString(),
                "--valid", dir.resolve("valid").toString(), "--backup", backup.toString(), "--backend", "reference",
                "--valid-every", "30", "--top", "2", "--chart", dir.resolve("loss.png").toString(), "--seed", "3");
        assertEquals(0, result.exitCode(), result.stderr());
        List<String> progress = result.stdout().lines().toList();
        assertEquals(60, progress.size(), "one progress line per batch up to max_batches=60");
        for (int i = 0; i < progress.size(); i++) {
            Matcher line = PROGRESS.matcher(progress.get(i));
            assertTrue(line.matches(), "darknet's progress line: " + progress.get(i));
            assertEquals(i + 1, Integer.parseInt(line.group(1)));
            assertEquals(12L * (i + 1), Long.parseLong(line.group(7)), "images seen");
        }
        float firstAverage = Float.parseFloat(PROGRESS.matcher(progress.get(0)).results().findFirst().orElseThrow().group(4));
        Matcher last = PROGRESS.matcher(progress.get(59));
        assertTrue(last.matches());
        assertTrue(Float.parseFloat(last.group(4)) < firstAverage / 3, "the loss fell: " + progress.get(59));
        assertTrue(result.stderr().contains("validation at batch 60: top-1 1.0000"), result.stderr());

        // 60 batches of 12 over 60 images: an epoch every 5 batches, then the final weights.
        for (String file : List.of("colours_1.weights", "colours_12.weights", "colours.weights", "colours.labels.list", "colours.data")) {
            assertTrue(Files.exists(backup.resolve(file)), file);
        }
        assertEquals(List.of(TrainingFixture.CLASSES), Files.readAllLines(backup.resolve("colours.labels.list")));
        assertTrue(ImageIO.read(dir.resolve("loss.png").toFile()).getWidth() > 0, "the chart is a PNG");
        try (Network network = Network.build(TrainingFixture.CFG, new ReferenceBackend(), 1)) {
            WeightsReader.load(network, backup.resolve("colours.weights"));
            assertEquals(720, network.seen());
        }
        Processes.Result predicted = Processes.jdarknet("classifier", "predict", backup.resolve("colours.data").toString(),
                TrainingFixture.CFG.toString(), backup.resolve("colours.weights").toString(),
                dir.resolve("valid/red/3.png").toString(), "--backend", "reference", "-t", "1");
        assertTrue(predicted.stdout().strip().endsWith(": red"), predicted.stdout());
    }

    /** Weights our training wrote are darknet's format: the C darknet loads them and predicts what we predict. */
    @Test
    void darknetPredictsTheSameWithTheTrainedWeights() throws Exception {
        Processes.assumeDarknet();
        TrainingFixture.colours(dir, 10);
        Path backup = dir.resolve("backup");
        Processes.Result trained = Processes.jdarknet("train", TrainingFixture.CFG.toString(), "--data", dir.resolve("train").toString(),
                "--backup", backup.toString(), "--backend", "reference", "--max-batches", "20", "--seed", "9");
        assertEquals(0, trained.exitCode(), trained.stderr());
        for (String image : List.of("valid/red/1.png", "valid/green/2.png", "valid/blue/3.png")) {
            String[] args = {"classifier", "predict", backup.resolve("colours.data").toString(), TrainingFixture.CFG.toString(),
                    backup.resolve("colours.weights").toString(), dir.resolve(image).toString(), "-t", "3"};
            Processes.Result darknet = Processes.darknet(args);
            Processes.Result ours = Processes.jdarknet(concat(args, "--backend", "reference"));
            assertEquals(darknet.stdout(), ours.stdout(), image);
        }
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    @Test
    void ctrlCSavesACheckpointAndResumeContinuesFromIt() throws Exception {
        TrainingFixture.colours(dir, 20);
        Path backup = dir.resolve("backup");
        Process process = startEndless(backup);
        waitForProgress(dir.resolve("out.txt"), 5);
        process.destroy();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "stopped after SIGTERM");
        assertTrue(Files.readString(dir.resolve("err.txt")).contains("Interrupted at batch"), Files.readString(dir.resolve("err.txt")));
        long seen = seenIn(backup.resolve("colours.backup"));
        assertTrue(seen >= 5 * 12, "the checkpoint counts the images trained on: " + seen);

        Processes.Result resumed = Processes.jdarknet("train", TrainingFixture.CFG.toString(), "--data", dir.resolve("train").toString(),
                "--backup", backup.toString(), "--backend", "reference", "--weights", backup.resolve("colours.backup").toString(),
                "--max-batches", Long.toString(seen / 12 + 3));
        assertEquals(0, resumed.exitCode(), resumed.stderr());
        Matcher first = PROGRESS.matcher(resumed.stdout().lines().findFirst().orElseThrow());
        assertTrue(first.matches());
        assertEquals(seen / 12 + 1, Long.parseLong(first.group(1)), "resumed after the checkpoint's batch");
    }

    @Test
    void killMinus9LeavesCheckpointsWholeAndTrainingResumes() throws Exception {
        TrainingFixture.colours(dir, 20);
        Path backup = dir.resolve("backup");
        Process process = startEndless(backup);
        waitForProgress(dir.resolve("out.txt"), 12);
        process.destroyForcibly();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        List<Path> checkpoints;
        try (var files = Files.list(backup)) {
            checkpoints = files.filter(f -> f.getFileName().toString().endsWith(".weights")
                    || f.getFileName().toString().endsWith(".backup")).toList();
        }
        assertTrue(!checkpoints.isEmpty(), "checkpoints were written before the kill");
        for (Path checkpoint : checkpoints) {
            seenIn(checkpoint);
        }
        Path newest = backup.resolve("colours.backup");
        Processes.Result resumed = Processes.jdarknet("train", TrainingFixture.CFG.toString(), "--data", dir.resolve("train").toString(),
                "--backup", backup.toString(), "--backend", "reference", "--weights", newest.toString(),
                "--max-batches", Long.toString(seenIn(newest) / 12 + 2));
        assertEquals(0, resumed.exitCode(), resumed.stderr());
    }

    @Test
    void divergingLossStopsWithoutOverwritingCheckpoints() throws Exception {
        TrainingFixture.colours(dir, 10);
        Path cfg = dir.resolve("explode.cfg");
        Files.writeString(cfg, Files.readString(TrainingFixture.CFG).replace("learning_rate=0.05", "learning_rate=1e12")
                .replace("batch_normalize=1\n", ""));
        Processes.Result result = Processes.jdarknet("train", cfg.toString(), "--data", dir.resolve("train").toString(),
                "--backup", dir.resolve("backup").toString(), "--backend", "reference");
        assertEquals(1, result.exitCode(), result.stderr());
        assertTrue(result.stderr().contains("the loss became"), result.stderr());
        assertTrue(!Files.exists(dir.resolve("backup/explode.weights")), "no final weights from a diverged run");
    }

    /** Darknet's own spelling: a .data file with train= and labels=, classes matched inside the paths; then valid. */
    @Test
    void classifierTrainAndValidWithADataFile() throws Exception {
        TrainingFixture.colours(dir, 20);
        Path list = dir.resolve("train.list");
        Path validList = dir.resolve("valid.list");
        try (var train = Files.walk(dir.resolve("train")); var valid = Files.walk(dir.resolve("valid"))) {
            Files.write(list, train.filter(Files::isRegularFile).map(Path::toString).sorted().toList());
            Files.write(validList, valid.filter(Files::isRegularFile).map(Path::toString).sorted().toList());
        }
        Files.write(dir.resolve("labels.list"), List.of(TrainingFixture.CLASSES));
        Path data = Files.writeString(dir.resolve("colours.data"), "classes=3\ntrain=" + list + "\nvalid=" + validList
                + "\nlabels=" + dir.resolve("labels.list") + "\nbackup=" + dir.resolve("backup") + "\ntop=2\n");
        Processes.Result trained = Processes.jdarknet("classifier", "train", data.toString(), TrainingFixture.CFG.toString(),
                "--backend", "reference", "--seed", "4");
        assertEquals(0, trained.exitCode(), trained.stderr());
        assertEquals(60, trained.stdout().lines().count());

        Processes.Result valid = Processes.jdarknet("classifier", "valid", data.toString(), TrainingFixture.CFG.toString(),
                dir.resolve("backup/colours.weights").toString(), "--backend", "reference");
        assertEquals(0, valid.exitCode(), valid.stderr());
        List<String> lines = valid.stdout().lines().toList();
        assertTrue(lines.get(1).matches("0: top 1: \\d\\.\\d{6}, top 2: \\d\\.\\d{6}"), lines.get(1));
        assertEquals("59: top 1: 1.000000, top 2: 1.000000", lines.get(2 * 60 - 1), "the running accuracy after 60 images");
        assertTrue(valid.stdout().contains("60 images: top-1 1.0000, top-2 1.0000"), valid.stdout());
        assertTrue(valid.stdout().contains("per class (accuracy, images):"), valid.stdout());
    }

    @Test
    void classCountMustMatchTheNetworksOutputs() throws Exception {
        TrainingFixture.colours(dir, 2);
        Files.createDirectories(dir.resolve("train/yellow"));
        Files.copy(dir.resolve("train/red/0.png"), dir.resolve("train/yellow/0.png"));
        Processes.Result result = Processes.jdarknet("train", TrainingFixture.CFG.toString(), "--data", dir.resolve("train").toString(),
                "--backup", dir.resolve("backup").toString(), "--backend", "reference");
        assertEquals(1, result.exitCode());
        assertTrue(result.stderr().contains("3 outputs but") && result.stderr().contains("4 classes"), result.stderr());
    }

    private Process startEndless(Path backup) throws IOException {
        return Processes.start(dir.resolve("out.txt"), dir.resolve("err.txt"), "train", TrainingFixture.CFG.toString(),
                "--data", dir.resolve("train").toString(), "--backup", backup.toString(), "--backend", "reference",
                "--max-batches", "100000", "--checkpoint-every", "4");
    }

    private static void waitForProgress(Path stdout, int lines) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (Files.exists(stdout) && Files.readAllLines(stdout).size() >= lines) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + lines + " progress lines within two minutes");
    }

    /** Loads a weights file completely (so it is whole) and returns its image count. */
    private static long seenIn(Path weights) {
        try (Network network = Network.build(TrainingFixture.CFG, new ReferenceBackend(), 1)) {
            WeightsReader.load(network, weights);
            return network.seen();
        }
    }
}
