package org.jdarknet.weights;

import java.nio.ByteBuffer;

/**
 * The start of every darknet weights file: three int32 version numbers and {@code seen}, the number
 * of images trained on. pjreddie's rule decides how wide {@code seen} is: 8 bytes when
 * {@code major*10 + minor >= 2} and both are below 1000, else 4. A major or minor above 1000 marks
 * files whose connected-layer matrices are stored transposed.
 */
public record WeightsHeader(int major, int minor, int revision, long seen) {

    /** What darknet (and jdarknet) writes: version 0.2.0, 64-bit seen. */
    public static WeightsHeader current(long seen) {
        return new WeightsHeader(0, 2, 0, seen);
    }

    public boolean wideSeen() {
        return major * 10 + minor >= 2 && major < 1000 && minor < 1000;
    }

    /** Connected-layer weights in this file are inputs × outputs rather than outputs × inputs. */
    public boolean transposed() {
        return major > 1000 || minor > 1000;
    }

    /** Bytes the header occupies: 12 for the version, then 4 or 8 for seen. */
    public int size() {
        return 12 + (wideSeen() ? 8 : 4);
    }

    /** Reads a header from the start of {@code buffer} (little-endian), advancing past it. */
    static WeightsHeader read(ByteBuffer buffer) {
        int major = buffer.getInt();
        int minor = buffer.getInt();
        int revision = buffer.getInt();
        WeightsHeader versionOnly = new WeightsHeader(major, minor, revision, 0);
        long seen = versionOnly.wideSeen() ? buffer.getLong() : Integer.toUnsignedLong(buffer.getInt());
        return new WeightsHeader(major, minor, revision, seen);
    }

    void write(ByteBuffer buffer) {
        buffer.putInt(major).putInt(minor).putInt(revision);
        if (wideSeen()) {
            buffer.putLong(seen);
        } else {
            buffer.putInt((int) seen);
        }
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + revision + " (" + (wideSeen() ? 64 : 32) + "-bit seen = " + seen + ")";
    }
}
