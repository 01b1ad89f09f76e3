package org.jdarknet;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a file so that it is never seen half written: the content goes to a temporary file in
 * the same directory, is flushed to disk, and then renamed over the target. A crash, Ctrl-C or
 * full disk leaves the previous file (if any) intact.
 *
 * <p>A symbolic link is written through: the temporary file goes beside the link's final target
 * and replaces that, so the link stays a link. A FIFO or a device cannot be replaced by renaming
 * and is written directly. The temporary file's name carries the writer's process id
 * ({@code .<name>.jdarknet-<pid>-<random>.part}); a {@code kill -9} can still leave one behind,
 * and the next write into that directory removes those whose process is gone, and no other file.
 */
public final class AtomicFile {
    private static final String TEMPORARY_MARK = ".jdarknet-";
    private static final Pattern TEMPORARY_NAME = Pattern.compile("\\..+\\.jdarknet-(\\d+)-\\d+\\.part");
    /** Symbolic links followed before giving up, as the kernel's own limit on a path's links. */
    private static final int MAX_LINKS = 40;
    private static final Set<Path> CLEANED_DIRECTORIES = ConcurrentHashMap.newKeySet();

    private AtomicFile() {
    }

    /** What writes the content. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    public static void write(Path file, Content content) throws IOException {
        Path target = finalTarget(file.toAbsolutePath());
        if (Files.exists(target) && !Files.isRegularFile(target) && !Files.isDirectory(target)) {
            writeDirectly(target, content);
            return;
        }
        Path directory = target.getParent();
        Files.createDirectories(directory);
        removeStaleTemporaries(directory);
        Path temporary = Files.createTempFile(directory, "." + target.getFileName() + TEMPORARY_MARK
                + ProcessHandle.current().pid() + "-", ".part");
        try {
            makeReadableLikeOtherFiles(temporary);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE);
                 OutputStream out = Channels.newOutputStream(channel)) {
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            moveIntoPlace(temporary, target);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    public static void writeString(Path file, String text) throws IOException {
        write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Why a write failed, in words: the exception's message alone is often only the path. */
    public static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof NotDirectoryException || e instanceof FileAlreadyExistsException) {
            return e.getMessage() + " is not a directory";
        }
        if (e instanceof FileSystemException fileSystem && fileSystem.getReason() != null) {
            return fileSystem.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** The file a chain of symbolic links ends at (it need not exist yet); {@code file} itself if no link. */
    static Path finalTarget(Path file) throws IOException {
        Path current = file;
        for (int links = 0; Files.isSymbolicLink(current); links++) {
            if (links == MAX_LINKS) {
                throw new FileSystemException(file.toString(), null, "too many levels of symbolic links");
            }
            current = current.resolveSibling(Files.readSymbolicLink(current)).normalize();
        }
        return current;
    }

    /** A FIFO or device: what reads it sees the bytes as they come; there is nothing to rename. */
    private static void writeDirectly(Path target, Content content) throws IOException {
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.WRITE)) {
            content.writeTo(out);
        }
    }

    /**
     * Removes the temporary files of jdarknet processes that no longer run, once per directory and
     * process; a file in use by a running writer, or any other file, is left alone.
     */
    static void removeStaleTemporaries(Path directory) throws IOException {
        if (!CLEANED_DIRECTORIES.add(directory)) {
            return;
        }
        try (DirectoryStream<Path> candidates = Files.newDirectoryStream(directory, "*" + TEMPORARY_MARK + "*.part")) {
            for (Path candidate : candidates) {
                Matcher name = TEMPORARY_NAME.matcher(candidate.getFileName().toString());
                if (name.matches() && !running(name.group(1))
                        && Files.isRegularFile(candidate, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(candidate);
                    Log.detail("removed " + candidate + ", left by a jdarknet process that was killed");
                }
            }
        }
    }

    private static boolean running(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException tooLong) {
            return false;
        }
    }

    /** Temporary files are private (0600); the result is as readable as any file the user writes. */
    private static void makeReadableLikeOtherFiles(Path temporary) throws IOException {
        if (Files.getFileAttributeView(temporary, PosixFileAttributeView.class) != null) {
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    private static void moveIntoPlace(Path temporary, Path target) throws IOException {
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
