package org.jdarknet.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The test images and what darknet made of them, as written by
 * scripts/oracle/make-image-goldens.py: decoded images as binary PPM (darknet's values are all
 * k/255.), resize results as raw little-endian float32 in darknet's CHW order.
 */
final class Goldens {

    private static final String EXPECTED = ".expected.ppm";

    private Goldens() {
    }

    static Path path(String name) {
        return directory().resolve(name);
    }

    static Path directory() {
        URL url = Goldens.class.getResource("/images");
        if (url == null) {
            throw new IllegalStateException("no test resources under images/");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The images that have a recorded darknet decoding, sorted by name. */
    static List<String> decodedImages() {
        try (Stream<Path> files = Files.list(directory())) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(EXPECTED))
                    .map(name -> name.substring(0, name.length() - EXPECTED.length()))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** NAME.expected.ppm as darknet's floats: {@code (float) (k / 255.)}, planar. */
    static FloatImage expected(String imageName) {
        byte[] bytes = read(imageName + EXPECTED);
        String[] header = new String(bytes, 0, Math.min(bytes.length, 32), StandardCharsets.US_ASCII)
                .split("\\s+", 5);
        if (!header[0].equals("P6") || !header[3].equals("255")) {
            throw new IllegalStateException(imageName + ".expected.ppm: not an 8-bit binary PPM");
        }
        int width = Integer.parseInt(header[1]);
        int height = Integer.parseInt(header[2]);
        int offset = bytes.length - 3 * width * height;
        FloatImage image = FloatImage.filled(width, height, 3, 0);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < 3; c++) {
                    int level = bytes[offset + 3 * (y * width + x) + c] & 0xff;
                    image.set(x, y, c, (float) (level / 255.0));
                }
            }
        }
        return image;
    }

    /** A raw float32 file as a 3-channel image of the given size. */
    static FloatImage floats(String name, int width, int height) {
        ByteBuffer buffer = ByteBuffer.wrap(read(name)).order(ByteOrder.LITTLE_ENDIAN);
        float[] data = new float[buffer.remaining() / Float.BYTES];
        buffer.asFloatBuffer().get(data);
        return new FloatImage(width, height, 3, data);
    }

    private static byte[] read(String name) {
        try {
            return Files.readAllBytes(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
