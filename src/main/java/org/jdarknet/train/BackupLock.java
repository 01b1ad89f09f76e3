package org.jdarknet.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdarknet.AtomicFile;
import org.jdarknet.Log;
import org.jdarknet.Text;
import org.jdarknet.UsageException;

/**
 * One training at a time in a backup directory: two would overwrite each other's checkpoints,
 * {@code .data} file and class list. The lock is an operating-system lock on
 * {@value #FILE_NAME} in the directory, so it ends with its process however that ends (kill -9
 * included); the file says who holds it (pid, command, start time) for the message a second run
 * gets. A file that still names a holder although nobody holds the lock was left by a process that
 * died: it is taken over, with a warning saying so. The file is emptied, not deleted, on release,
 * so that every run locks the same file.
 */
final class BackupLock implements AutoCloseable {
    static final String FILE_NAME = ".jdarknet-training.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private BackupLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Locks {@code directory} (creating it) for this process, or says which training holds it. */
    static BackupLock acquire(Path directory) {
        Path file = directory.resolve(FILE_NAME);
        try {
            Files.createDirectories(directory);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            try {
                FileLock lock = tryLock(channel);
                String holder = describe(read(channel));
                if (lock == null) {
                    throw new UsageException(directory + ": another training is writing its checkpoints"
                            + " here (" + holder + "); wait for it or give another --backup directory");
                }
                if (!holder.isEmpty()) {
                    Log.warn(file + ": taking over the lock of a training that no longer runs (" + holder + ")");
                }
                write(channel, ownDescription());
                return new BackupLock(channel, lock);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock the backup directory " + directory + ": "
                    + AtomicFile.reason(e), e);
        }
    }

    /** Null when held, by another process or by another training in this one. */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException heldInThisProcess) {
            return null;
        }
    }

    private static String read(FileChannel channel) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate((int) Math.min(channel.size(), 64 * 1024));
        channel.read(bytes, 0);
        return new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8);
    }

    private static void write(FileChannel channel, Map<String, String> fields) throws IOException {
        StringBuilder text = new StringBuilder();
        fields.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(true);
    }

    /** "pid 123, jdarknet train ..., started 2026-...": the lock file's fields as one phrase. */
    static String describe(String lockFile) {
        Map<String, String> fields = new LinkedHashMap<>();
        lockFile.lines().forEach(line -> {
            int equals = line.indexOf('=');
            if (equals > 0) {
                fields.put(line.substring(0, equals), line.substring(equals + 1));
            }
        });
        if (fields.isEmpty()) {
            return lockFile.isBlank() ? "" : "holder unknown";
        }
        return "pid " + fields.getOrDefault("pid", "?") + ", " + Text.excerpt(fields.getOrDefault("command", "?"))
                + ", started " + fields.getOrDefault("started", "?");
    }

    private static Map<String, String> ownDescription() {
        ProcessHandle self = ProcessHandle.current();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("pid", Long.toString(self.pid()));
        fields.put("command", command());
        fields.put("started", self.info().startInstant().orElse(Instant.now()).truncatedTo(ChronoUnit.SECONDS).toString());
        return fields;
    }

    /** The command line as the user typed it after the launcher: the JVM records it without the JVM's options. */
    private static String command() {
        String launched = System.getProperty("sun.java.command", "");
        int space = launched.indexOf(' ');
        return space < 0 ? "jdarknet" : "jdarknet " + launched.substring(space + 1);
    }

    @Override
    public void close() {
        try (channel) {
            channel.truncate(0);
            lock.release();
        } catch (IOException e) {
            Log.warn("cannot release the lock " + FILE_NAME + ": " + AtomicFile.reason(e));
        }
    }
}
