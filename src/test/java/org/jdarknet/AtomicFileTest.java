package org.jdarknet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the bytes of an atomic write end up when the target is a link, a FIFO, or a killed writer's leftovers. */
class AtomicFileTest {
    @TempDir
    Path dir;

    @Test
    void aSymbolicLinkIsWrittenThroughAndStaysALink() throws IOException {
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Path target = Files.writeString(elsewhere.resolve("model.weights"), "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.weights"), Path.of("elsewhere/model.weights"));
        Path linkToLink = Files.createSymbolicLink(dir.resolve("again.weights"), link.getFileName());
        AtomicFile.writeString(linkToLink, "new");
        assertTrue(Files.isSymbolicLink(link));
        assertTrue(Files.isSymbolicLink(linkToLink));
        assertEquals("new", Files.readString(target));
        assertEquals(List.of("model.weights"), names(elsewhere));
    }

    @Test
    void aDanglingLinkCreatesItsTarget() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("link.weights"), Path.of("made.weights"));
        AtomicFile.writeString(link, "first");
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("first", Files.readString(dir.resolve("made.weights")));
    }

    @Test
    void aFifoIsWrittenDirectly() throws Exception {
        Path fifo = dir.resolve("out.fifo");
        boolean made = new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0;
        if (!made) {
            System.err.println("skipped: mkfifo cannot make a named pipe here");
        }
        Assumptions.assumeTrue(made, "mkfifo cannot make a named pipe here");
        CompletableFuture<String> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readString(fifo);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        AtomicFile.writeString(fifo, "through the pipe");
        assertEquals("through the pipe", reader.get(10, TimeUnit.SECONDS));
        assertFalse(Files.isRegularFile(fifo));
    }

    @Test
    void aDeviceIsWrittenDirectly() throws IOException {
        Path devNull = Path.of("/dev/null");
        Assumptions.assumeTrue(Files.isWritable(devNull), "no writable /dev/null");
        AtomicFile.writeString(devNull, "discarded");
        assertFalse(Files.isRegularFile(devNull));
    }

    @Test
    void temporaryFilesOfDeadProcessesAreRemovedAndNoOthers() throws IOException {
        long dead = deadPid();
        long alive = ProcessHandle.current().pid();
        Path stale = Files.writeString(dir.resolve(".model.weights.jdarknet-" + dead + "-123456.part"), "left by kill -9");
        Path inUse = Files.writeString(dir.resolve(".model.weights.jdarknet-" + alive + "-654321.part"), "being written");
        Path notOurs = Files.writeString(dir.resolve(".model.weights.8812345.part"), "someone else's");
        Path lookalike = Files.writeString(dir.resolve("notes.jdarknet-" + dead + "-1.part.txt"), "a user's file");
        AtomicFile.writeString(dir.resolve("model.weights"), "new");
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(inUse));
        assertTrue(Files.exists(notOurs));
        assertTrue(Files.exists(lookalike));
        assertEquals("new", Files.readString(dir.resolve("model.weights"), StandardCharsets.UTF_8));
    }

    /** The pid of a process that has ended: one we started and waited for. */
    private static long deadPid() throws IOException {
        Process process = new ProcessBuilder("true").start();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertFalse(ProcessHandle.of(process.pid()).map(ProcessHandle::isAlive).orElse(false));
        return process.pid();
    }

    private static List<String> names(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
