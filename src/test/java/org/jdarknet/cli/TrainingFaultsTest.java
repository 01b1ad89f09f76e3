package org.jdarknet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training faults found before any work is done: a chart that cannot be written, a backup directory in use. */
class TrainingFaultsTest {
    private static final String LOCK = ".jdarknet-training.lock";

    @TempDir
    Path dir;

    @Test
    void aChartThatCannotBeWrittenIsAnErrorBeforeTraining() throws IOException {
        TrainingFixture.colours(dir, 2);
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        Path backup = dir.resolve("backup");
        Processes.Result result = train(backup, "--chart", notADirectory.resolve("loss.png").toString());
        assertEquals(1, result.exitCode(), result.stderr());
        assertEquals("error: cannot write the chart " + notADirectory.resolve("loss.png") + ": " + notADirectory
                + " is not a directory", result.stderr().strip());
        assertEquals("", result.stdout(), "no batch was trained");
        assertFalse(Files.exists(backup.resolve("colours.backup")));
    }

    @Test
    void aSecondTrainingIntoABackupDirectoryInUseIsRefused() throws IOException {
        TrainingFixture.colours(dir, 2);
        Path backup = Files.createDirectories(dir.resolve("backup"));
        Path lockFile = Files.writeString(backup.resolve(LOCK), "pid=4242\ncommand=jdarknet train first.cfg\n"
                + "started=2026-12-01T10:00:00Z\n");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
             FileLock held = channel.lock()) {
            Processes.Result result = train(backup);
            assertEquals(1, result.exitCode(), result.stderr());
            assertEquals("error: " + backup + ": another training is writing its checkpoints here (pid 4242, jdarknet"
                    + " train first.cfg, started 2026-12-01T10:00:00Z); wait for it or give another --backup directory",
                    result.stderr().strip());
            assertEquals("", result.stdout());
            assertFalse(Files.exists(backup.resolve("colours.labels.list")), "nothing of the first run's was overwritten");
        }
    }

    @Test
    void aLockLeftByADeadTrainingIsTakenOverSayingSo() throws IOException {
        TrainingFixture.colours(dir, 2);
        Path backup = Files.createDirectories(dir.resolve("backup"));
        Files.writeString(backup.resolve(LOCK), "pid=4242\ncommand=jdarknet train first.cfg\nstarted=2026-12-01T10:00:00Z\n");
        Processes.Result result = train(backup);
        assertEquals(0, result.exitCode(), result.stderr());
        assertTrue(result.stderr().contains("warning: " + backup.resolve(LOCK) + ": taking over the lock of a training"
                + " that no longer runs (pid 4242, jdarknet train first.cfg, started 2026-12-01T10:00:00Z)"), result.stderr());
        assertTrue(Files.exists(backup.resolve("colours.weights")));
        assertEquals("", Files.readString(backup.resolve(LOCK)), "released at the end");
    }

    private Processes.Result train(Path backup, String... more) {
        String[] base = {"train", TrainingFixture.CFG.toString(), "--data", dir.resolve("train").toString(),
                "--backup", backup.toString(), "--backend", "reference", "--max-batches", "1", "--seed", "1"};
        String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return Processes.jdarknet(args);
    }
}
