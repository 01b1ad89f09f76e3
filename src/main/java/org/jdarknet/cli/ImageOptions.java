package org.jdarknet.cli;

import org.jdarknet.UsageException;
import org.jdarknet.image.ImageLoader;
import picocli.CommandLine.Option;

/** How large an image the classifying commands decode. */
final class ImageOptions {
    @Option(names = "--max-image-pixels", paramLabel = "N", defaultValue = "" + ImageLoader.DEFAULT_MAX_PIXELS,
            description = "Refuse images of more pixels than N, told by their header before decoding"
                    + " (default: ${DEFAULT-VALUE}; decoding takes about 16 bytes a pixel).")
    long maxPixels;

    long maxPixels() {
        if (maxPixels < 1) {
            throw new UsageException("--max-image-pixels must be at least 1, found " + maxPixels);
        }
        return maxPixels;
    }
}
