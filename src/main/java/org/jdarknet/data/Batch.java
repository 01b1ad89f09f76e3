package org.jdarknet.data;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code size} network inputs with their truth, laid out as darknet's {@code data} holds them:
 * {@code images} is size × 3 × height × width (each image planar RGB, rows top to bottom),
 * {@code truth} is size × classes (darknet's {@code fill_truth}: 1 for each matching class),
 * {@code labels} is each image's class for accuracy (first match, -1 when none).
 */
public record Batch(int size, int width, int height, int classes, float[] images, float[] truth, int[] labels,
                    List<Path> paths) {

    public static final int CHANNELS = 3;

    public Batch {
        if (images.length != size * CHANNELS * height * width || truth.length != size * classes
                || labels.length != size || paths.size() != size) {
            throw new IllegalArgumentException("batch of " + size + " with inconsistent arrays");
        }
    }

    /** Values per image: {@code 3 × height × width}. */
    public int imageLength() {
        return CHANNELS * height * width;
    }
}
