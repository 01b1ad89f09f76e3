package org.jdarknet.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;

/** Decoded ImageIO images (all formats but JPEG) to what OpenCV's decoders make of the same file. */
final class Pixels {

    private Pixels() {
    }

    /** Darknet's planar RGB floats, {@code value/255.} computed in double and rounded once ({@link FloatImage#unit}). */
    static FloatImage toFloat(BufferedImage image, FileType type) {
        ColorModel model = image.getColorModel();
        return model instanceof ComponentColorModel && isRgbOrGrey(model) ? fromSamples(image, type) : fromArgb(image);
    }

    /**
     * The stored samples, unconverted. Samples wider than 8 bits are cut to 8 as OpenCV's
     * decoders do: libpng's and the PNM reader's keep the high byte; TIFF, which OpenCV reads
     * into 8 bits through libtiff's RGBA interface, is rounded (v/257 for 16 bits, but grey
     * keeps the high byte) and has its colour multiplied by unassociated alpha.
     */
    private static FloatImage fromSamples(BufferedImage image, FileType type) {
        int width = image.getWidth();
        int height = image.getHeight();
        int plane = width * height;
        float[] data = new float[3 * plane];
        ColorModel model = image.getColorModel();
        Raster raster = image.getRaster();
        int bits = model.getComponentSize(0);
        boolean grey = model.getNumColorComponents() == 1;
        boolean tiff = type == FileType.TIFF;
        boolean roundWide = tiff && !grey;
        boolean premultiply = tiff && !grey && model.hasAlpha() && !model.isAlphaPremultiplied();
        int[] samples = new int[raster.getNumBands()];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                raster.getPixel(x, y, samples);
                int alpha = premultiply ? toByte(samples[3], bits, true) : 255;
                for (int c = 0; c < 3; c++) {
                    int value = toByte(samples[grey ? 0 : c], bits, roundWide);
                    if (premultiply) {
                        value = (value * alpha + 127) / 255;
                    }
                    data[c * plane + y * width + x] = FloatImage.unit(value);
                }
            }
        }
        return new FloatImage(width, height, 3, data);
    }

    /** Palettes and packed pixels: their 8-bit sRGB, alpha left out. */
    private static FloatImage fromArgb(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        int plane = width * height;
        float[] data = new float[3 * plane];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int argb = image.getRGB(x, y);
                data[y * width + x] = FloatImage.unit((argb >> 16) & 0xff);
                data[plane + y * width + x] = FloatImage.unit((argb >> 8) & 0xff);
                data[2 * plane + y * width + x] = FloatImage.unit(argb & 0xff);
            }
        }
        return new FloatImage(width, height, 3, data);
    }

    private static int toByte(int sample, int bits, boolean roundWide) {
        if (bits == 8) {
            return sample;
        }
        if (bits > 8 && !roundWide) {
            return sample >>> (bits - 8);
        }
        return (int) Math.round(sample * 255.0 / ((1 << bits) - 1));
    }

    /**
     * Component images whose samples we can take as they are: RGB or grey, 8 or 16 bits of
     * integers. The colour space's profile is deliberately not applied, as OpenCV does not.
     * Alpha, when there is one, is the last band and is left out.
     */
    private static boolean isRgbOrGrey(ColorModel model) {
        int type = model.getColorSpace().getType();
        int transfer = model.getTransferType();
        boolean integer = transfer == DataBuffer.TYPE_BYTE || transfer == DataBuffer.TYPE_USHORT;
        return integer && (type == ColorSpace.TYPE_RGB || type == ColorSpace.TYPE_GRAY);
    }
}
