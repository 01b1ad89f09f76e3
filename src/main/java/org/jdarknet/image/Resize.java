package org.jdarknet.image;

/**
 * Darknet's image geometry: its own bilinear resize (two float passes, horizontal then vertical,
 * corners aligned) and the crops and boxes built on it. Every function repeats darknet's integer
 * and float arithmetic so that the network sees exactly the input darknet would give it.
 */
public final class Resize {

    private Resize() {
    }

    /**
     * Darknet's {@code resize_image}: bilinear with the first and last pixels mapped onto each other.
     * The loops index the planes' rows directly: the first image of a process is resized before the
     * JIT has compiled anything, and each call through {@link FloatImage#get} costs the interpreter more.
     */
    public static FloatImage bilinear(FloatImage image, int width, int height) {
        int sourceWidth = image.width();
        float[] source = image.data();
        Columns columns = Columns.of(sourceWidth, width);
        float[] across = new float[width * image.height() * image.channels()];
        for (int row = 0; row < image.channels() * image.height(); row++) {
            int from = row * sourceWidth;
            int to = row * width;
            for (int c = 0; c < columns.interpolated(); c++) {
                float dx = columns.weight()[c];
                int left = from + columns.left()[c];
                across[to + c] = (1 - dx) * source[left] + dx * source[left + 1];
            }
            for (int c = columns.interpolated(); c < width; c++) {
                across[to + c] = source[from + sourceWidth - 1];
            }
        }
        return down(across, width, image.height(), image.channels(), height);
    }

    /**
     * The same floats as {@code bilinear(image.toFloat(), width, height)}, read from the bytes: each
     * sample becomes its float as the first pass reads it, so the whole image is never made floats.
     */
    static FloatImage bilinear(Rgb8Image image, int width, int height) {
        int sourceWidth = image.width();
        byte[] samples = image.samples();
        Columns columns = Columns.of(sourceWidth, width);
        float[] across = new float[width * image.height() * 3];
        for (int k = 0; k < 3; k++) {
            for (int r = 0; r < image.height(); r++) {
                int from = 3 * r * sourceWidth + k;
                int to = (k * image.height() + r) * width;
                for (int c = 0; c < columns.interpolated(); c++) {
                    float dx = columns.weight()[c];
                    int left = from + 3 * columns.left()[c];
                    across[to + c] = (1 - dx) * FloatImage.unit(samples[left] & 0xff)
                            + dx * FloatImage.unit(samples[left + 3] & 0xff);
                }
                float last = FloatImage.unit(samples[from + 3 * (sourceWidth - 1)] & 0xff);
                for (int c = columns.interpolated(); c < width; c++) {
                    across[to + c] = last;
                }
            }
        }
        return down(across, width, image.height(), 3, height);
    }

    /**
     * Each interpolated column's source pixel and weight, the same on every row: computed once.
     * The last column, and every column of a one-pixel-wide source, copy the last source pixel.
     */
    private record Columns(int interpolated, int[] left, float[] weight) {
        static Columns of(int sourceWidth, int width) {
            int interpolated = sourceWidth > 1 ? width - 1 : 0;
            int[] left = new int[interpolated];
            float[] weight = new float[interpolated];
            float widthScale = (float) (sourceWidth - 1) / (width - 1);
            for (int c = 0; c < interpolated; c++) {
                float sx = c * widthScale;
                left[c] = (int) sx;
                weight[c] = sx - left[c];
            }
            return new Columns(interpolated, left, weight);
        }
    }

    /** The second, vertical pass over the rows the first made {@code width} wide. */
    private static FloatImage down(float[] across, int width, int sourceHeight, int channels, int height) {
        float[] result = new float[width * height * channels];
        // For one output row darknet divides by zero and then reads outside the image (row
        // (int) NaN); we take the first row, which its formula gives for any finite scale.
        float heightScale = height == 1 ? 0 : (float) (sourceHeight - 1) / (height - 1);
        for (int k = 0; k < channels; k++) {
            for (int r = 0; r < height; r++) {
                float sy = r * heightScale;
                int iy = (int) sy;
                float dy = sy - iy;
                int from = (k * sourceHeight + iy) * width;
                int to = (k * height + r) * width;
                for (int c = 0; c < width; c++) {
                    result[to + c] = (1 - dy) * across[from + c];
                }
                if (r == height - 1 || sourceHeight == 1) {
                    continue;
                }
                for (int c = 0; c < width; c++) {
                    result[to + c] += dy * across[from + width + c];
                }
            }
        }
        return new FloatImage(width, height, channels, result);
    }

    /**
     * Darknet's {@code letterbox_image}: resized to fit inside width×height keeping the aspect
     * ratio, centred on a grey (0.5) canvas.
     */
    public static FloatImage letterbox(FloatImage image, int width, int height) {
        return letterbox(image.width(), image.height(), image.channels(), (w, h) -> bilinear(image, w, h), width,
                height);
    }

    /** The same floats as {@code letterbox(image.toFloat(), width, height)}, resized from the bytes. */
    static FloatImage letterbox(Rgb8Image image, int width, int height) {
        return letterbox(image.width(), image.height(), 3, (w, h) -> bilinear(image, w, h), width, height);
    }

    /** An image's bilinear resize to a given size. */
    private interface Resizer {
        FloatImage to(int width, int height);
    }

    private static FloatImage letterbox(int sourceWidth, int sourceHeight, int channels, Resizer resize, int width,
            int height) {
        int newWidth;
        int newHeight;
        if ((float) width / sourceWidth < (float) height / sourceHeight) {
            newWidth = width;
            newHeight = sourceHeight * width / sourceWidth;
        } else {
            newHeight = height;
            newWidth = sourceWidth * height / sourceHeight;
        }
        FloatImage boxed = FloatImage.filled(width, height, channels, 0.5f);
        if (newWidth == 0 || newHeight == 0) {
            return boxed; // a very long, thin image: darknet resizes it to nothing and embeds that
        }
        embed(resize.to(newWidth, newHeight), boxed, (width - newWidth) / 2, (height - newHeight) / 2);
        return boxed;
    }

    /** Darknet's {@code resize_min}: the shorter side becomes {@code min}, aspect kept. */
    public static FloatImage resizeMin(FloatImage image, int min) {
        int width = image.width();
        int height = image.height();
        if (width < height) {
            height = height * min / width;
            width = min;
        } else {
            width = width * min / height;
            height = min;
        }
        if (width == image.width() && height == image.height()) {
            return image;
        }
        return bilinear(image, width, height);
    }

    /** Darknet's {@code crop_image}: a window at (dx, dy); coordinates outside repeat the edge. */
    public static FloatImage crop(FloatImage image, int dx, int dy, int width, int height) {
        FloatImage cropped = FloatImage.filled(width, height, image.channels(), 0);
        for (int k = 0; k < image.channels(); k++) {
            for (int j = 0; j < height; j++) {
                for (int i = 0; i < width; i++) {
                    int r = Math.max(0, Math.min(image.height() - 1, j + dy));
                    int c = Math.max(0, Math.min(image.width() - 1, i + dx));
                    cropped.set(i, j, k, image.get(c, r, k));
                }
            }
        }
        return cropped;
    }

    /** Darknet's {@code center_crop_image}: the largest centred square, resized to width×height. */
    public static FloatImage centerCrop(FloatImage image, int width, int height) {
        int side = Math.min(image.width(), image.height());
        FloatImage square = crop(image, (image.width() - side) / 2, (image.height() - side) / 2, side, side);
        return bilinear(square, width, height);
    }

    private static void embed(FloatImage source, FloatImage destination, int dx, int dy) {
        for (int k = 0; k < source.channels(); k++) {
            for (int y = 0; y < source.height(); y++) {
                System.arraycopy(source.data(), (k * source.height() + y) * source.width(), destination.data(),
                        (k * destination.height() + dy + y) * destination.width() + dx, source.width());
            }
        }
    }
}
