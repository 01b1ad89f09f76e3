package org.jdarknet.image;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.color.ColorSpace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes image files the way darknet's {@code load_image_color} sees them (OpenCV's
 * {@code imread} in colour mode): three channels RGB, 8-bit values divided by 255. Grey images are
 * repeated into three channels, alpha is dropped without blending, 16-bit samples keep their high
 * byte, embedded colour profiles are ignored. Formats are those of ImageIO plus TwelveMonkeys
 * (JPEG incl. CMYK and progressive, PNG, BMP, GIF, TIFF, PNM, WebP).
 */
public final class ImageLoader {

    private ImageLoader() {
    }

    public static FloatImage load(Path path) {
        if (!Files.exists(path)) {
            throw new ImageException(path, "no such file");
        }
        if (!Files.isReadable(path) || Files.isDirectory(path)) {
            throw new ImageException(path, Files.isDirectory(path) ? "is a directory, not an image" : "cannot be read");
        }
        BufferedImage image = decode(path);
        return toFloat(image);
    }

    private static BufferedImage decode(Path path) {
        try (ImageInputStream input = ImageIO.createImageInputStream(path.toFile())) {
            if (input == null) {
                throw new ImageException(path, "cannot be opened");
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
            if (!readers.hasNext()) {
                throw new ImageException(path, "not an image in any format we can read");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(input, true, true);
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ImageException imageException) {
                throw imageException;
            }
            throw new ImageException(path, "cannot be decoded (" + describe(e) + ")", e);
        }
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Darknet's planar RGB floats, {@code value/255} computed in double and rounded once. */
    static FloatImage toFloat(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        float[] data = new float[3 * width * height];
        int plane = width * height;
        ColorModel model = image.getColorModel();
        Raster raster = image.getRaster();
        if (model instanceof ComponentColorModel && isRgbOrGrey(model)) {
            int shift = model.getComponentSize(0) > 8 ? model.getComponentSize(0) - 8 : 0;
            boolean grey = model.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
            int[] samples = new int[raster.getNumBands()];
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    raster.getPixel(x, y, samples);
                    for (int c = 0; c < 3; c++) {
                        int value = samples[grey ? 0 : c] >>> shift;
                        data[c * plane + y * width + x] = (float) (value / 255.0);
                    }
                }
            }
        } else {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int argb = image.getRGB(x, y);
                    data[y * width + x] = (float) (((argb >> 16) & 0xff) / 255.0);
                    data[plane + y * width + x] = (float) (((argb >> 8) & 0xff) / 255.0);
                    data[2 * plane + y * width + x] = (float) ((argb & 0xff) / 255.0);
                }
            }
        }
        return new FloatImage(width, height, 3, data);
    }

    /**
     * Component images whose samples we can take as they are: RGB or grey, 8 or 16 bits of
     * integers. The colour space's profile is deliberately not applied, as OpenCV does not.
     */
    private static boolean isRgbOrGrey(ColorModel model) {
        int type = model.getColorSpace().getType();
        int transfer = model.getTransferType();
        boolean integer = transfer == DataBuffer.TYPE_BYTE || transfer == DataBuffer.TYPE_USHORT;
        return integer && (type == ColorSpace.TYPE_RGB || type == ColorSpace.TYPE_GRAY);
    }
}
