package org.jdarknet.image;

import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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
    /**
     * Larger images are refused before they are decoded unless the caller allows more: decoding
     * takes about 16 bytes a pixel (ImageIO's raster and our floats), so 100 megapixels already
     * ask for 1.6 GB, and a 2 MB PNG can claim 26000x26000.
     */
    public static final long DEFAULT_MAX_PIXELS = 100_000_000L;
    /** Enough of a file to tell its format, read before the rest: /dev/zero is refused after these. */
    private static final int SNIFF_BYTES = 64 * 1024;
    /** A file may hold this much per pixel allowed (16-bit RGBA, uncompressed) plus its metadata. */
    private static final long MAX_BYTES_PER_PIXEL = 8;
    private static final long MAX_METADATA_BYTES = 16 << 20;

    private ImageLoader() {
    }

    public static FloatImage load(Path path) {
        return load(path, DEFAULT_MAX_PIXELS);
    }

    /**
     * Decodes an image of at most {@code maxPixels} pixels, which its header says before anything
     * is decoded; the file is read only as far as such an image can reach.
     */
    public static FloatImage load(Path path, long maxPixels) {
        return load(path, maxPixels, ChosenJpegDecoder.DECODER);
    }

    /** As {@link #load(Path)}, with JPEG files decoded by {@code jpeg}. */
    static FloatImage load(Path path, JpegDecoder jpeg) {
        return load(path, DEFAULT_MAX_PIXELS, jpeg);
    }

    private static FloatImage load(Path path, long maxPixels, JpegDecoder jpeg) {
        try {
            return decoded(path, readFile(path, maxFileBytes(maxPixels)), maxPixels, jpeg);
        } catch (OutOfMemoryError e) {
            throw tooLarge(path);
        }
    }

    /**
     * Decodes an image of at most {@code maxPixels} pixels and makes it {@code preprocessing}'s
     * width×height input: the same floats as {@code preprocessing.apply(load(path, maxPixels),
     * width, height)}, sooner for a JPEG that needs no turning, which is letterboxed or resized
     * straight from libjpeg-turbo's bytes instead of from a float copy of the whole image.
     */
    public static FloatImage loadPrepared(Path path, long maxPixels, Preprocessing preprocessing, int width,
            int height) {
        return loadPrepared(path, maxPixels, preprocessing, width, height, ChosenJpegDecoder.DECODER);
    }

    /** As {@link #loadPrepared(Path, long, Preprocessing, int, int)}, with JPEG files decoded by {@code jpeg}. */
    static FloatImage loadPrepared(Path path, long maxPixels, Preprocessing preprocessing, int width, int height,
            JpegDecoder jpeg) {
        try {
            return loadPending(path, maxPixels, jpeg).prepare(preprocessing, width, height);
        } catch (OutOfMemoryError e) {
            throw tooLarge(path);
        }
    }

    /**
     * Decodes an image of at most {@code maxPixels} pixels to be preprocessed later, once its
     * input size is known: an upright JPEG as libjpeg-turbo's bytes, others as floats.
     */
    public static PendingImage loadPending(Path path, long maxPixels) {
        return loadPending(path, maxPixels, ChosenJpegDecoder.DECODER);
    }

    private static PendingImage loadPending(Path path, long maxPixels, JpegDecoder jpeg) {
        try {
            byte[] file = readFile(path, maxFileBytes(maxPixels));
            if (FileType.of(file) == FileType.JPEG && ExifOrientation.of(file) == 1) {
                Optional<Rgb8Image> bytes = jpeg.decodeBytes(path, file, maxPixels);
                if (bytes.isPresent()) {
                    return PendingImage.ofBytes(bytes.get());
                }
            }
            return PendingImage.ofFloats(decoded(path, file, maxPixels, jpeg));
        } catch (OutOfMemoryError e) {
            throw tooLarge(path);
        }
    }

    private static FloatImage decoded(Path path, byte[] file, long maxPixels, JpegDecoder jpeg) {
        FloatImage image = FileType.of(file) == FileType.JPEG ? jpeg.decode(path, file, maxPixels)
                : decode(path, file, maxPixels);
        return ExifOrientation.apply(image, ExifOrientation.of(file));
    }

    private static ImageException tooLarge(Path path) {
        return new ImageException(path, "is too large to decode in the memory there is (" + heapInWords()
                + "); try a smaller image, or more memory with JDARKNET_JAVA_OPTS=-Xmx...");
    }

    /** ImageIO's JPEG reader, the decoder where libjpeg-turbo is missing. */
    static final JpegDecoder IMAGE_IO = new JpegDecoder() {
        @Override
        public FloatImage decode(Path path, byte[] file, long maxPixels) {
            return ImageLoader.decode(path, file, maxPixels);
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

    static long maxFileBytes(long maxPixels) {
        long largestArray = Integer.MAX_VALUE - 8;
        return maxPixels >= (largestArray - MAX_METADATA_BYTES) / MAX_BYTES_PER_PIXEL ? largestArray
                : maxPixels * MAX_BYTES_PER_PIXEL + MAX_METADATA_BYTES;
    }

    private static byte[] readFile(Path path, long maxBytes) {
        if (path.toString().isEmpty()) {
            throw new ImageException("an image path is empty ('')");
        }
        if (Files.isDirectory(path)) {
            throw new ImageException(path, "is a directory, not an image");
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] head = in.readNBytes(SNIFF_BYTES);
            if (head.length == 0) {
                throw new ImageException(path, "is empty");
            }
            if (head.length < SNIFF_BYTES) {
                return head;
            }
            requireImageFormat(path, head);
            byte[] rest = in.readNBytes((int) (maxBytes - head.length + 1));
            if (head.length + (long) rest.length > maxBytes) {
                throw new ImageException(path, "is larger than " + (maxBytes >> 20) + " MiB, more than an image within"
                        + " the pixel limit takes (a file that never ends?)");
            }
            byte[] file = Arrays.copyOf(head, head.length + rest.length);
            System.arraycopy(rest, 0, file, head.length, rest.length);
            return file;
        } catch (NoSuchFileException e) {
            throw new ImageException(path, "no such file");
        } catch (AccessDeniedException e) {
            throw new ImageException(path, "permission denied");
        } catch (IOException e) {
            throw new ImageException(path, "cannot be read (" + describe(e) + ")", e);
        }
    }

    /**
     * Refuses a file no reader recognises from its first bytes, before reading the rest of it. A
     * JPEG's first bytes are exactly what ImageIO's own JPEG reader accepts, so ImageIO is not
     * asked about one: starting ImageIO up (its plugin registry, AWT) is work that libjpeg-turbo's
     * decode does not need, and a one-image {@code classify} notices it.
     */
    private static void requireImageFormat(Path path, byte[] head) throws IOException {
        if (FileType.of(head) == FileType.JPEG) {
            return;
        }
        try (ImageInputStream input = new MemoryCacheImageInputStream(new ByteArrayInputStream(head))) {
            readerFor(path, input).dispose();
        }
    }

    /** The pixel count the header gives, checked before a pixel is decoded. */
    private static void requireAtMost(Path path, long maxPixels, ImageReader reader) throws IOException {
        requireAtMost(path, maxPixels, reader.getWidth(0), reader.getHeight(0));
    }

    /** Refuses an image of {@code width x height} pixels when that is more than {@code maxPixels}. */
    static void requireAtMost(Path path, long maxPixels, int width, int height) {
        long pixels = (long) width * height;
        if (pixels > maxPixels) {
            throw new ImageException(path, "is " + width + "x" + height + " pixels (" + pixels + "), more than the limit of "
                    + maxPixels + " pixels; raise it with --max-image-pixels if there is memory for it (about "
                    + (pixels * 16 >> 20) + " MiB)");
        }
    }

    private static String heapInWords() {
        Runtime runtime = Runtime.getRuntime();
        return "a Java heap of " + (runtime.maxMemory() >> 20) + " MiB";
    }

    /** Decoded from memory: the whole file is needed anyway for the orientation. */
    private static FloatImage decode(Path path, byte[] file, long maxPixels) {
        FileType type = FileType.of(file);
        checkComplete(path, file, type);
        try (ImageInputStream input = new MemoryCacheImageInputStream(new ByteArrayInputStream(file))) {
            ImageReader reader = readerFor(path, input);
            try {
                return read(path, reader, input, file, type, maxPixels);
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

    private static FloatImage read(Path path, ImageReader reader, ImageInputStream input, byte[] file, FileType type,
                                   long maxPixels) throws IOException {
        List<String> losses = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> {
            if (losesPixels(warning)) {
                losses.add(warning);
            }
        });
        reader.setInput(input, true, true);
        requireAtMost(path, maxPixels, reader);
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
