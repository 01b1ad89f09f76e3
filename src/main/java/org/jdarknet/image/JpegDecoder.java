package org.jdarknet.image;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Turns a JPEG file's bytes into the RGB image OpenCV's imread makes of it, before the EXIF
 * orientation is applied. {@link ImageLoader} picks one implementation once, on first use.
 */
interface JpegDecoder {

    /**
     * The whole file, already read; an {@link ImageException} naming {@code path} when it cannot
     * be decoded or its header says it has more than {@code maxPixels} pixels.
     */
    FloatImage decode(Path path, byte[] file, long maxPixels);

    /**
     * As {@link #decode}, the pixels as the decoder makes them, 8-bit RGB; empty when this decoder
     * has them only as floats (then nothing is decoded, and {@link #decode} is the way).
     */
    default Optional<Rgb8Image> decodeBytes(Path path, byte[] file, long maxPixels) {
        return Optional.empty();
    }

    /** What decodes, in words, for {@code --verbose}. */
    String name();
}
