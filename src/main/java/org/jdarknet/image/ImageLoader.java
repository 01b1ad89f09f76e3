package org.jdarknet.image;

import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.jdarknet.Log;

/**
 * Decodes image files the way darknet's {@code load_image_color} sees them (OpenCV 4.6's
 * {@code imread} in colour mode): three channels RGB, 8-bit values divided by 255., turned as
 * the EXIF orientation says (JPEG, PNG, TIFF). Grey images are repeated into three channels,
 * alpha is dropped without blending (except that libtiff premultiplies TIFF colour), 16-bit
 * samples are cut to 8 bits as each of OpenCV's decoders does, embedded colour profiles are
 * ignored. Formats are those of ImageIO plus TwelveMonkeys (JPEG incl. CMYK and progressive,
 * PNG, BMP, GIF, TIFF, PNM, WebP); OpenCV 4.6 does not read GIF, we do. JPEG files are decoded
 * by libjpeg-turbo, as in OpenCV, where its Java bindings are installed ({@link TurboJpeg}).
 *
 * <p>Unlike darknet, which goes on with a black 10x10 image when OpenCV cannot read a file and
 * silently uses a truncated JPEG's grey filler, every such file is an {@link ImageException}.
 * Lossy WebP is decoded by TwelveMonkeys' own VP8 decoder and so differs from libwebp's by a
 * few levels.
 */
public final class ImageLoader {

    private static final String FORMATS = "JPEG, PNG, BMP, GIF, TIFF, PNM or WebP";

    private ImageLoader() {
    }

    public static FloatImage load(Path path) {
        return load(path, ChosenJpegDecoder.DECODER);
    }

    /** As {@link #load(Path)}, with JPEG files decoded by {@code jpeg}. */
    static FloatImage load(Path path, JpegDecoder jpeg) {
        byte[] file = readFile(path);
        FloatImage image = FileType.of(file) == FileType.JPEG ? jpeg.decode(path, file) : decode(path, file);
        return ExifOrientation.apply(image, ExifOrientation.of(file));
    }

    /** ImageIO's JPEG reader, the decoder where libjpeg-turbo is missing. */
    static final JpegDecoder IMAGE_IO = new JpegDecoder() {
        @Override
        public FloatImage decode(Path path, byte[] file) {
            return ImageLoader.decode(path, file);
        }

        @Override
        public String name() {
            return "ImageIO";
        }
    };

    /** libjpeg-turbo when its Java bindings load, else ImageIO: chosen, and said, on the first load. */
    private static final class ChosenJpegDecoder {
        static final JpegDecoder DECODER = choose();

        private static JpegDecoder choose() {
            StringBuilder whyNot = new StringBuilder();
            JpegDecoder decoder = TurboJpeg.find(whyNot).map(JpegDecoder.class::cast).orElse(IMAGE_IO);
            Log.detail("JPEG decoder: " + decoder.name() + (whyNot.length() > 0 ? " (" + whyNot + ")" : ""));
            return decoder;
        }
    }

    private static byte[] readFile(Path path) {
        if (Files.isDirectory(path)) {
            throw new ImageException(path, "is a directory, not an image");
        }
        byte[] file;
        try {
            file = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new ImageException(path, "no such file");
        } catch (AccessDeniedException e) {
            throw new ImageException(path, "permission denied");
        } catch (IOException e) {
            throw new ImageException(path, "cannot be read (" + describe(e) + ")", e);
        }
        if (file.length == 0) {
            throw new ImageException(path, "is empty");
        }
        return file;
    }

    /** Decoded from memory: the whole file is needed anyway for the orientation. */
    private static FloatImage decode(Path path, byte[] file) {
        FileType type = FileType.of(file);
        checkComplete(path, file, type);
        try (ImageInputStream input = new MemoryCacheImageInputStream(new ByteArrayInputStream(file))) {
            ImageReader reader = readerFor(path, input);
            try {
                return read(path, reader, input, file, type);
            } catch (IOException | RuntimeException e) {
                if (e instanceof ImageException imageException) {
                    throw imageException;
                }
                String format = reader.getOriginatingProvider().getFormatNames()[0].toUpperCase(Locale.ROOT);
                throw new ImageException(path, "cannot be decoded as " + format + " (" + describe(e) + ")", e);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) { // closing a stream in memory: not expected
            throw new ImageException(path, "cannot be decoded (" + describe(e) + ")", e);
        }
    }

    private static ImageReader readerFor(Path path, ImageInputStream input) {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
        if (!readers.hasNext()) {
            throw new ImageException(path, "is not an image in a format we read (" + FORMATS + ")");
        }
        return readers.next();
    }

    private static FloatImage read(Path path, ImageReader reader, ImageInputStream input, byte[] file, FileType type)
            throws IOException {
        List<String> losses = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> {
            if (losesPixels(warning)) {
                losses.add(warning);
            }
        });
        reader.setInput(input, true, true);
        FloatImage image = type == FileType.JPEG ? decodeJpeg(path, reader, file) : Pixels.toFloat(reader.read(0), type);
        if (!losses.isEmpty()) {
            throw new ImageException(path, "is truncated or corrupt (" + losses.get(0) + ")");
        }
        return image;
    }

    /**
     * TwelveMonkeys' WebP reader decodes a cut-off lossless file without complaint (libwebp, and
     * so OpenCV, refuses it); the RIFF header says how long the file must be.
     */
    private static void checkComplete(Path path, byte[] file, FileType type) {
        if (type != FileType.WEBP) {
            return;
        }
        long declared = 8 + (ByteBuffer.wrap(file, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL);
        if (declared > file.length) {
            throw new ImageException(path, "is truncated (" + file.length + " of " + declared + " bytes)");
        }
    }

    /**
     * The JPEG's components as libjpeg decoded them, converted here rather than by ImageIO:
     * ImageIO would apply embedded ICC profiles and its own CMYK conversion, OpenCV does neither.
     */
    private static FloatImage decodeJpeg(Path path, ImageReader reader, byte[] file) throws IOException {
        JpegHeader.ColorSpace space = JpegHeader.parse(file).colorSpace();
        Raster raster = reader.readRaster(0, null);
        if (raster.getNumBands() != JpegColor.components(space)) { // UNKNOWN has none
            throw new ImageException(path, "is a JPEG with " + raster.getNumBands()
                    + " components; only grey (1), colour (3) and CMYK (4) ones are read");
        }
        return JpegColor.toRgb(raster, space);
    }

    /**
     * libjpeg's warnings that mean pixels were made up: data missing ("Premature end of JPEG
     * file", "premature end of data segment") or undecodable ("Corrupt JPEG data: bad Huffman
     * code", "found marker ... instead of RST"). OpenCV only prints them and darknet goes on with
     * grey filler; we refuse. Harmless ones pass: extraneous bytes between markers, or a missing
     * EOI after complete data.
     */
    static boolean losesPixels(String warning) {
        String text = warning.toLowerCase(Locale.ROOT);
        return text.contains("premature end") || text.contains("corrupt") && !text.contains("extraneous bytes");
    }

    /** The messages of an exception and its causes, on one line. */
    private static String describe(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            String message = cause.getMessage() != null ? cause.getMessage()
                    : cause instanceof EOFException ? "unexpected end of file" : cause.getClass().getSimpleName();
            if (text.indexOf(message) < 0) {
                text.append(text.length() == 0 ? "" : ": ").append(message);
            }
        }
        return text.toString().replace('\n', ' ');
    }
}
