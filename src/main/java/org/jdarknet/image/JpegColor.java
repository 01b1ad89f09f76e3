package org.jdarknet.image;

import java.awt.image.Raster;

/**
 * Turns a JPEG's decoded components (after libjpeg's IDCT and upsampling, before any colour
 * conversion) into the RGB that OpenCV's imread returns: libjpeg's own fixed-point YCbCr
 * conversion (jdcolor.c), and for CMYK OpenCV's formula on libjpeg's CMYK output. Doing this
 * here, instead of letting ImageIO convert, keeps embedded ICC profiles from being applied (OpenCV
 * ignores them) and makes the result exact.
 */
final class JpegColor {

    private static final int SCALE_BITS = 16;
    private static final int ONE_HALF = 1 << (SCALE_BITS - 1);
    private static final int CENTER = 128;
    private static final int[] CR_R = new int[256];
    private static final int[] CB_B = new int[256];
    private static final int[] CR_G = new int[256];
    private static final int[] CB_G = new int[256];

    static {
        // build_ycc_rgb_table() of jdcolor.c
        for (int i = 0; i < 256; i++) {
            int x = i - CENTER;
            CR_R[i] = (fix(1.40200) * x + ONE_HALF) >> SCALE_BITS;
            CB_B[i] = (fix(1.77200) * x + ONE_HALF) >> SCALE_BITS;
            CR_G[i] = -fix(0.71414) * x;
            CB_G[i] = -fix(0.34414) * x + ONE_HALF;
        }
    }

    private JpegColor() {
    }

    /** The planar RGB image OpenCV makes of these components. */
    static FloatImage toRgb(Raster raster, JpegHeader.ColorSpace space) {
        int width = raster.getWidth();
        int height = raster.getHeight();
        int bands = raster.getNumBands();
        float[] data = new float[3 * width * height];
        int plane = width * height;
        int[] in = new int[bands];
        int[] rgb = new int[3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                raster.getPixel(raster.getMinX() + x, raster.getMinY() + y, in);
                convert(space, in, rgb);
                for (int c = 0; c < 3; c++) {
                    data[c * plane + y * width + x] = FloatImage.unit(rgb[c]);
                }
            }
        }
        return new FloatImage(width, height, 3, data);
    }

    /** The number of components each colour space stores. */
    static int components(JpegHeader.ColorSpace space) {
        return switch (space) {
            case GREY -> 1;
            case RGB, YCBCR -> 3;
            case CMYK, YCCK -> 4;
            case UNKNOWN -> 0;
        };
    }

    private static void convert(JpegHeader.ColorSpace space, int[] in, int[] rgb) {
        switch (space) {
            case GREY -> {
                rgb[0] = in[0];
                rgb[1] = in[0];
                rgb[2] = in[0];
            }
            case RGB -> System.arraycopy(in, 0, rgb, 0, 3);
            case YCBCR -> yccToRgb(in[0], in[1], in[2], rgb);
            case CMYK -> cmykToRgb(in[0], in[1], in[2], in[3], rgb);
            case YCCK -> {
                // libjpeg's ycck_cmyk_convert: CMY = 255 - RGB (same clamping), K passes through
                yccToRgb(in[0], in[1], in[2], rgb);
                cmykToRgb(255 - rgb[0], 255 - rgb[1], 255 - rgb[2], in[3], rgb);
            }
            case UNKNOWN -> throw new IllegalArgumentException("no colour conversion for an unknown space");
        }
    }

    private static void yccToRgb(int y, int cb, int cr, int[] rgb) {
        rgb[0] = clamp(y + CR_R[cr]);
        rgb[1] = clamp(y + ((CB_G[cb] + CR_G[cr]) >> SCALE_BITS));
        rgb[2] = clamp(y + CB_B[cb]);
    }

    /**
     * OpenCV's icvCvt_CMYK2BGR_8u_C4C3R. The samples are as libjpeg returns them, which for the
     * usual (Adobe) files means inverted, 255 = no ink; the formula relies on that.
     */
    static void cmykToRgb(int c, int m, int y, int k, int[] rgb) {
        rgb[0] = k - ((255 - c) * k >> 8);
        rgb[1] = k - ((255 - m) * k >> 8);
        rgb[2] = k - ((255 - y) * k >> 8);
    }

    private static int fix(double x) {
        return (int) (x * (1 << SCALE_BITS) + 0.5);
    }

    private static int clamp(int value) {
        return Math.max(0, Math.min(255, value));
    }
}
