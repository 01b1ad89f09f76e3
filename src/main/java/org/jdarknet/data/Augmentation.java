package org.jdarknet.data;

import org.jdarknet.image.FloatImage;

/**
 * Darknet's augmentation primitives on planar RGB images, with darknet's arithmetic: the crop's
 * sampling positions in double (as C evaluates them) rounded to float, everything else in float.
 */
public final class Augmentation {

    private Augmentation() {
    }

    /**
     * Darknet's {@code rotate_crop_image}: each output pixel samples the source bilinearly at its
     * position turned, scaled and shifted by {@code crop}; positions outside the source read 0.
     */
    public static FloatImage rotateCrop(FloatImage image, CropParameters crop) {
        int width = crop.width();
        int height = crop.height();
        FloatImage out = FloatImage.filled(width, height, image.channels(), 0);
        double cos = Math.cos(crop.radians());
        double sin = Math.sin(crop.radians());
        float s = crop.scale();
        float aspect = crop.aspect();
        float cx = (float) (image.width() / 2.0);
        float cy = (float) (image.height() / 2.0);
        // The shifts are float expressions in C; the rest is double because of the 2. literals.
        float shiftX = crop.dx() / s * aspect;
        float shiftY = crop.dy() / s;
        for (int y = 0; y < height; y++) {
            double v = (y - height / 2.0) / s + shiftY;
            for (int x = 0; x < width; x++) {
                double u = (x - width / 2.0) / s * aspect + shiftX;
                float rx = (float) (cos * u - sin * v + cx);
                float ry = (float) (sin * u + cos * v + cy);
                for (int c = 0; c < image.channels(); c++) {
                    out.set(x, y, c, bilinear(image, rx, ry, c));
                }
            }
        }
        return out;
    }

    private static float bilinear(FloatImage image, float x, float y, int c) {
        int ix = (int) Math.floor(x);
        int iy = (int) Math.floor(y);
        float dx = x - ix;
        float dy = y - iy;
        return (1 - dy) * (1 - dx) * pixelOrZero(image, ix, iy, c)
                + dy * (1 - dx) * pixelOrZero(image, ix, iy + 1, c)
                + (1 - dy) * dx * pixelOrZero(image, ix + 1, iy, c)
                + dy * dx * pixelOrZero(image, ix + 1, iy + 1, c);
    }

    private static float pixelOrZero(FloatImage image, int x, int y, int c) {
        boolean inside = x >= 0 && x < image.width() && y >= 0 && y < image.height();
        return inside ? image.get(x, y, c) : 0;
    }

    /** Darknet's {@code flip_image}: mirrors the image left to right, in place. */
    public static void flip(FloatImage image) {
        float[] data = image.data();
        int width = image.width();
        for (int row = 0; row < image.channels() * image.height(); row++) {
            int start = row * width;
            for (int i = 0, j = width - 1; i < j; i++, j--) {
                float swap = data[start + i];
                data[start + i] = data[start + j];
                data[start + j] = swap;
            }
        }
    }

    /**
     * Darknet's {@code distort_image}, in place: to HSV, saturation times {@code saturation},
     * value times {@code exposure}, {@code hue} added to the hue (wrapped once into [0,1]), back to
     * RGB, clamped to [0,1]. Grey pixels have an undefined (NaN) hue, harmless since their
     * saturation is 0, as in darknet.
     */
    public static void distort(FloatImage image, float hue, float saturation, float exposure) {
        rgbToHsv(image);
        float[] data = image.data();
        int plane = image.width() * image.height();
        for (int i = 0; i < plane; i++) {
            float h = data[i] + hue;
            if (h > 1) {
                h -= 1;
            }
            if (h < 0) {
                h += 1;
            }
            data[i] = h;
            data[plane + i] *= saturation;
            data[2 * plane + i] *= exposure;
        }
        hsvToRgb(image);
        constrain(image);
    }

    /** Darknet's {@code rgb_to_hsv}, in place: hue in [0,1) (NaN for greys), saturation, value. */
    static void rgbToHsv(FloatImage image) {
        requireRgb(image);
        float[] data = image.data();
        int plane = image.width() * image.height();
        for (int i = 0; i < plane; i++) {
            float r = data[i];
            float g = data[plane + i];
            float b = data[2 * plane + i];
            float max = r > g ? (r > b ? r : b) : (g > b ? g : b);
            float min = r < g ? (r < b ? r : b) : (g < b ? g : b);
            float delta = max - min;
            float h = 0;
            float s = 0;
            if (max != 0) {
                s = delta / max;
                if (r == max) {
                    h = (g - b) / delta;
                } else if (g == max) {
                    h = 2 + (b - r) / delta;
                } else {
                    h = 4 + (r - g) / delta;
                }
                if (h < 0) {
                    h += 6;
                }
                h = (float) (h / 6.0);
            }
            data[i] = h;
            data[plane + i] = s;
            data[2 * plane + i] = max;
        }
    }

    /** Darknet's {@code hsv_to_rgb}, in place. */
    static void hsvToRgb(FloatImage image) {
        requireRgb(image);
        float[] data = image.data();
        int plane = image.width() * image.height();
        for (int i = 0; i < plane; i++) {
            float h = 6 * data[i];
            float s = data[plane + i];
            float v = data[2 * plane + i];
            float r = v;
            float g = v;
            float b = v;
            if (s != 0) {
                int sector = (int) Math.floor(h);
                float f = h - sector;
                float p = v * (1 - s);
                float q = v * (1 - s * f);
                float t = v * (1 - s * (1 - f));
                switch (sector) {
                    case 0 -> { g = t; b = p; }
                    case 1 -> { r = q; b = p; }
                    case 2 -> { r = p; b = t; }
                    case 3 -> { r = p; g = q; }
                    case 4 -> { r = t; g = p; }
                    default -> { g = p; b = q; }
                }
            }
            data[i] = r;
            data[plane + i] = g;
            data[2 * plane + i] = b;
        }
    }

    private static void constrain(FloatImage image) {
        float[] data = image.data();
        for (int i = 0; i < data.length; i++) {
            data[i] = Math.max(0, Math.min(1, data[i]));
        }
    }

    private static void requireRgb(FloatImage image) {
        if (image.channels() != 3) {
            throw new IllegalArgumentException("HSV needs 3 channels, the image has " + image.channels());
        }
    }
}
