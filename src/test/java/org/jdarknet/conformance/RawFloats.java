package org.jdarknet.conformance;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Little-endian float32 files as the darknet harness writes them. */
public final class RawFloats {

    private RawFloats() {
    }

    public static float[] read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        float[] values = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }
}
