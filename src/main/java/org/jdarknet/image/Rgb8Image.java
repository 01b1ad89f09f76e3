package org.jdarknet.image;

/**
 * An image as a JPEG decoder gives it: 8-bit RGB samples, interleaved ({@code r, g, b} for each
 * pixel, rows top to bottom). Resizing straight from these bytes spares making a float copy of
 * the whole image first, and gives the same floats ({@link Resize#bilinear(Rgb8Image, int, int)}).
 */
record Rgb8Image(int width, int height, byte[] samples) {

    Rgb8Image {
        if (width < 1 || height < 1 || samples.length != 3L * width * height) {
            throw new IllegalArgumentException("image " + width + "x" + height + " with " + samples.length + " samples");
        }
    }

    /** Darknet's planar floats of the same pixels. */
    FloatImage toFloat() {
        int plane = width * height;
        float[] data = new float[3 * plane];
        for (int c = 0; c < 3; c++) {
            int offset = c * plane;
            for (int i = 0, sample = c; i < plane; i++, sample += 3) {
                data[offset + i] = FloatImage.unit(samples[sample] & 0xff);
            }
        }
        return new FloatImage(width, height, 3, data);
    }
}
