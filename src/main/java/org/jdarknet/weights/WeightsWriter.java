package org.jdarknet.weights;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jdarknet.AtomicFile;
import org.jdarknet.layers.Layer;
import org.jdarknet.layers.Parameter;
import org.jdarknet.net.Network;

/**
 * Writes darknet weights files (version 0.2.0, 64-bit {@code seen}) that the C darknet loads.
 * The file is written through {@link AtomicFile}, so a crash or Ctrl-C never leaves a
 * half-written weights file behind.
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
        if (Files.isDirectory(file)) {
            // The rename into place would replace an empty directory.
            throw new WeightsException(file, "is a directory; give the weights file's name");
        }
        try {
            AtomicFile.write(file, out -> {
                writeHeader(out, WeightsHeader.current(seen));
                for (Layer layer : network.layers().subList(0, Math.min(cutoff, network.layers().size()))) {
                    if (!layer.options().dontSave()) {
                        for (Parameter parameter : layer.parameters()) {
                            writeFloats(out, network.backend().download(parameter.value()));
                        }
                    }
                }
            });
        } catch (AccessDeniedException e) {
            throw new WeightsException(file, "cannot write: permission denied in " + file.toAbsolutePath().getParent(), e);
        } catch (IOException e) {
            throw new WeightsException(file, "cannot write: " + e.getMessage(), e);
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
}
