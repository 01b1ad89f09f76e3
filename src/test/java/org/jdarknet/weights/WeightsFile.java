package org.jdarknet.weights;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds darknet weights files byte by byte, without {@link WeightsWriter} or {@link WeightsHeader},
 * so that a test spells out the layout it expects: little-endian int32 major, minor, revision,
 * then {@code seen} as int64 or int32, then float32 values.
 */
public final class WeightsFile {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    private WeightsFile() {
    }

    /** A header with a 64-bit {@code seen}, as versions 0.2.0 and later have. */
    public static WeightsFile header64(int major, int minor, int revision, long seen) {
        return new WeightsFile().ints(major, minor, revision).put(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(seen));
    }

    /** A header with a 32-bit {@code seen}, as version 0.1.0 and the transposed versions have. */
    public static WeightsFile header32(int major, int minor, int revision, int seen) {
        return new WeightsFile().ints(major, minor, revision, seen);
    }

    public WeightsFile floats(float... values) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return put(buffer);
    }

    public WeightsFile raw(byte... values) {
        bytes.write(values, 0, values.length);
        return this;
    }

    public byte[] toBytes() {
        return bytes.toByteArray();
    }

    public Path write(Path file) {
        try {
            return Files.write(file, toBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private WeightsFile ints(int... values) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asIntBuffer().put(values);
        return put(buffer);
    }

    private WeightsFile put(ByteBuffer buffer) {
        bytes.write(buffer.array(), 0, buffer.capacity());
        return this;
    }
}
