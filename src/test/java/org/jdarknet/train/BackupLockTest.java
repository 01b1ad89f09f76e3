package org.jdarknet.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jdarknet.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One training per backup directory; a lock left by a dead process does not block the next. */
class BackupLockTest {
    @TempDir
    Path dir;

    @Test
    void aSecondTrainingIntoTheDirectoryIsRefusedNamingTheFirst() {
        Path backup = dir.resolve("backup");
        try (BackupLock first = BackupLock.acquire(backup)) {
            UsageException e = assertThrows(UsageException.class, () -> BackupLock.acquire(backup));
            String pid = "pid " + ProcessHandle.current().pid() + ", jdarknet";
            assertTrue(e.getMessage().startsWith(backup + ": another training is writing its checkpoints here (" + pid),
                    e.getMessage());
            assertTrue(e.getMessage().matches(".*, started \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\); wait for it or give"
                    + " another --backup directory"), e.getMessage());
        }
        BackupLock.acquire(backup).close();
    }

    @Test
    void theLockFileNamesItsHolderOnlyWhileHeld() throws IOException {
        Path lockFile = dir.resolve(BackupLock.FILE_NAME);
        try (BackupLock lock = BackupLock.acquire(dir)) {
            assertTrue(Files.readString(lockFile).startsWith("pid=" + ProcessHandle.current().pid() + "\n"));
        }
        assertEquals("", Files.readString(lockFile));
    }

    @Test
    void aLockLeftByAProcessThatDiedIsTakenOver() throws IOException {
        Path lockFile = Files.writeString(dir.resolve(BackupLock.FILE_NAME),
                "pid=999999999\ncommand=jdarknet train old.cfg\nstarted=2026-01-01T00:00:00Z\n");
        assertEquals("pid 999999999, jdarknet train old.cfg, started 2026-01-01T00:00:00Z",
                BackupLock.describe(Files.readString(lockFile)));
        try (BackupLock lock = BackupLock.acquire(dir)) {
            assertTrue(Files.readString(lockFile).startsWith("pid=" + ProcessHandle.current().pid() + "\n"));
        }
        assertFalse(Files.readString(lockFile).contains("999999999"));
    }
}
