package org.jdarknet.weights;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import org.jdarknet.layers.Layer;
import org.jdarknet.layers.Parameter;
import org.jdarknet.net.Network;

/**
 * Writes darknet weights files (version 0.2.0, 64-bit {@code seen}) that the C darknet loads.
 * The file is written next to its destination under a temporary name, flushed to disk and then
 * renamed over it, so a crash or Ctrl-C never leaves a half-written weights file behind.
 */
public final class WeightsWriter {

    private WeightsWriter() {
    }

    /** Saves all layers. */
    public static void save(Network network, Path file) {
        save(network, file, network.layers().size(), network.seen());
    }

    /** Saves the first {@code cutoff} layers with the given {@code seen}, as darknet's {@code save_weights_upto}. */
    public static void save(Network network, Path file, int cutoff, long seen) {
        Path target = file.toAbsolutePath();
        Path directory = target.getParent();
        if (Files.isDirectory(target)) {
            // The rename below would replace an empty directory.
            throw new WeightsException(file, "is a directory; give the weights file's name");
        }
        Path temporary = null;
        try {
            Files.createDirectories(directory);
            temporary = Files.createTempFile(directory, "." + target.getFileName() + ".", ".part");
            makeReadableLikeOtherFiles(temporary);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE);
                 OutputStream out = Channels.newOutputStream(channel)) {
                writeHeader(out, WeightsHeader.current(seen));
                for (Layer layer : network.layers().subList(0, Math.min(cutoff, network.layers().size()))) {
                    if (!layer.options().dontSave()) {
                        for (Parameter parameter : layer.parameters()) {
                            writeFloats(out, network.backend().download(parameter.value()));
                        }
                    }
                }
                out.flush();
                channel.force(true);
            }
            moveIntoPlace(temporary, target);
        } catch (AccessDeniedException e) {
            throw new WeightsException(file, "cannot write: permission denied in " + directory, e);
        } catch (IOException e) {
            throw new WeightsException(file, "cannot write: " + e.getMessage(), e);
        } finally {
            deleteQuietly(temporary);
        }
    }

    /** Temporary files are private (0600); a weights file is as readable as any file the user writes. */
    private static void makeReadableLikeOtherFiles(Path temporary) throws IOException {
        if (Files.getFileAttributeView(temporary, PosixFileAttributeView.class) != null) {
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    private static void writeHeader(OutputStream out, WeightsHeader header) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(header.size()).order(ByteOrder.LITTLE_ENDIAN);
        header.write(buffer);
        out.write(buffer.array());
    }

    private static void writeFloats(OutputStream out, float[] values) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        out.write(buffer.array());
    }

    private static void moveIntoPlace(Path temporary, Path target) throws IOException {
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path temporary) {
        if (temporary != null) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // The temporary file is only left behind if the disk refuses to delete it.
            }
        }
    }
}
