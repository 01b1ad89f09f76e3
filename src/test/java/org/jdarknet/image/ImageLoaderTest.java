package org.jdarknet.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ImageLoader} against darknet's {@code load_image_color} (OpenCV 4.6 imread), whose
 * results for every test image were recorded by scripts/oracle/make-image-goldens.py.
 */
class ImageLoaderTest {

    /** Decoded differently from darknet; each has its own test below saying why and by how much. */
    private static final Set<String> NOT_EXACT = Set.of("webp-lossy.webp", "bmp-rle8.bmp");

    @TempDir
    Path temp;

    static List<String> exactImages() {
        return Goldens.decodedImages().stream().filter(name -> !NOT_EXACT.contains(name)).toList();
    }

    /** Every exact image through each JPEG decoder (only JPEG files see the difference). */
    static Stream<Arguments> exactImagesByDecoder() {
        return DECODERS.stream().flatMap(decoder -> exactImages().stream().map(name -> Arguments.of(decoder, name)));
    }

    /** The JPEG decoders {@link ImageLoader} may choose from. */
    private static final List<String> DECODERS = List.of("imageio", "turbo");

    private static final StringBuilder TURBO_MISSING = new StringBuilder();
    private static final Optional<TurboJpeg> TURBO = TurboJpeg.find(TURBO_MISSING);

    /** The decoder by name; the libjpeg-turbo one skips the test, saying why, where it is not installed. */
    static JpegDecoder decoder(String name) {
        if (name.equals("imageio")) {
            return ImageLoader.IMAGE_IO;
        }
        if (TURBO.isEmpty()) {
            System.err.println("skipped, libjpeg-turbo: " + TURBO_MISSING);
        }
        Assumptions.assumeTrue(TURBO.isPresent(), () -> "libjpeg-turbo: " + TURBO_MISSING);
        return TURBO.get();
    }

    /**
     * JPEG (4:2:0, 4:2:2, 4:4:4, progressive, grey, CMYK, YCCK, with ICC profiles, without JFIF,
     * all EXIF orientations), PNG (every colour type and depth, tRNS, gAMA and iCCP, interlaced,
     * eXIf), BMP, TIFF (8/16-bit, alpha, palette, ICC, orientation), PNM, lossless WebP.
     */
    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("exactImagesByDecoder")
    void decodesBitForBitAsDarknet(String decoder, String name) {
        assertBitsEqual(Goldens.expected(name), ImageLoader.load(Goldens.path(name), decoder(decoder)), name);
    }

    @Test
    void everyFormatIsCovered() {
        List<String> names = exactImages();
        assertTrue(names.size() >= 50, "only " + names.size() + " images with goldens");
        for (String prefix : List.of("jpeg-", "png-", "bmp-", "tiff-", "pnm-", "webp-")) {
            assertTrue(names.stream().anyMatch(name -> name.startsWith(prefix)), prefix);
        }
    }

    /**
     * TwelveMonkeys decodes lossy WebP with its own VP8 decoder, not libwebp as OpenCV does. Here
     * it matches {@code dwebp -nofancy} within 1 level: the difference is libwebp's "fancy"
     * chroma upsampling, up to 65 levels where colour changes sharply in this deliberately noisy
     * picture, 10.6 on average. On a photo (darknet's dog.jpg as WebP, quality 80) it was 36 at
     * most, 3.9 on average. Nothing short of our own VP8 decoder would fix it.
     */
    @Test
    void lossyWebpIsCloseToDarknet() {
        FloatImage expected = Goldens.expected("webp-lossy.webp");
        FloatImage actual = ImageLoader.load(Goldens.path("webp-lossy.webp"));
        assertSameSize(expected, actual, "webp-lossy.webp");
        double max = 0;
        double sum = 0;
        for (int i = 0; i < expected.data().length; i++) {
            double difference = Math.abs(expected.data()[i] - actual.data()[i]) * 255;
            max = Math.max(max, difference);
            sum += difference;
        }
        assertTrue(max <= 65 + 1e-3, "max difference " + max + " levels");
        assertTrue(sum / expected.data().length <= 11, "mean difference " + sum / expected.data().length);
    }

    /**
     * OpenCV 4.6 misreads this RLE8 BMP written by ImageMagick: every row but the first comes out
     * as garbage (up to 235 levels off), so darknet's golden for it is wrong. ImageMagick and
     * TwelveMonkeys agree on its pixels, which are those of the uncompressed bmp-8.bmp of the
     * same picture; we keep the right ones.
     */
    @Test
    void rle8BmpDecodesLikeItsUncompressedTwin() {
        FloatImage right = Goldens.expected("bmp-8.bmp");
        assertBitsEqual(right, ImageLoader.load(Goldens.path("bmp-rle8.bmp")), "bmp-rle8.bmp");
        assertFalse(Arrays.equals(right.data(), Goldens.expected("bmp-rle8.bmp").data()),
                "OpenCV reads it right now: move bmp-rle8.bmp to the exact images");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decoders")
    void jpegWithoutEndMarkerButAllItsDataLoads(String decoder) throws IOException {
        byte[] jpeg = Files.readAllBytes(Goldens.path("jpeg-420.jpg"));
        Path cut = write("no-eoi.jpg", Arrays.copyOf(jpeg, jpeg.length - 2));
        assertBitsEqual(Goldens.expected("jpeg-420.jpg"), ImageLoader.load(cut, decoder(decoder)), "no-eoi.jpg");
    }

    static List<String> decoders() {
        return DECODERS;
    }

    /** A JPEG with garbage between two markers: libjpeg warns and decodes every pixel, as OpenCV does. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("decoders")
    void jpegWithExtraneousBytesLoads(String decoder) throws IOException {
        byte[] jpeg = Files.readAllBytes(Goldens.path("jpeg-420.jpg"));
        byte[] padded = new byte[jpeg.length + 3];
        System.arraycopy(jpeg, 0, padded, 0, 2);
        padded[2] = 0x11; // not a marker: "Corrupt JPEG data: 3 extraneous bytes before marker"
        padded[3] = 0x22;
        padded[4] = 0x33;
        System.arraycopy(jpeg, 2, padded, 5, jpeg.length - 2);
        Path file = write("extraneous.jpg", padded);
        assertBitsEqual(Goldens.expected("jpeg-420.jpg"), ImageLoader.load(file, decoder(decoder)), "extraneous.jpg");
    }

    /** Where the bindings are missing or broken, ImageIO takes over (the reason is what --verbose prints). */
    @Test
    void absentOrBrokenTurboJpegIsNotUsed() throws IOException {
        StringBuilder whyNot = new StringBuilder();
        Path absent = temp.resolve("absent.jar");
        assertTrue(TurboJpeg.load(absent, TurboJpeg.LIBRARY, whyNot).isEmpty());
        assertEquals(absent + " or " + TurboJpeg.LIBRARY + " is not installed", whyNot.toString());
        StringBuilder brokenWhy = new StringBuilder();
        Path broken = write("broken.jar", "not a jar\n".getBytes(StandardCharsets.US_ASCII));
        assertTrue(TurboJpeg.load(broken, broken, brokenWhy).isEmpty());
        assertTrue(brokenWhy.toString().startsWith("libjpeg-turbo's Java bindings did not load ("), brokenWhy.toString());
    }

    @Test
    void missingFile() {
        assertFails(temp.resolve("missing.jpg"), "no such file");
    }

    @Test
    void directory() {
        assertFails(temp, "is a directory, not an image");
    }

    @Test
    void emptyFile() throws IOException {
        assertFails(write("empty.jpg", new byte[0]), "is empty");
    }

    @Test
    void textFileNamedJpg() throws IOException {
        Path text = write("notes.jpg", "not an image\n".getBytes(StandardCharsets.US_ASCII));
        assertFails(text, "is not an image in a format we read (JPEG, PNG, BMP, GIF, TIFF, PNM or WebP)");
    }

    /** Darknet would go on with libjpeg's grey filler for the missing part; we refuse. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("decoders")
    void truncatedJpeg(String decoder) throws IOException {
        assertFails(truncated("jpeg-420.jpg", 0.6), decoder(decoder),
                "is truncated or corrupt (Corrupt JPEG data: premature end of data segment)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decoders")
    void truncatedProgressiveJpeg(String decoder) throws IOException {
        assertFails(truncated("jpeg-progressive.jpg", 0.95), decoder(decoder), "is truncated or corrupt (");
    }

    @Test
    void truncatedPng() throws IOException {
        assertFails(truncated("png-rgb.png", 0.6), "cannot be decoded as PNG (Error reading PNG image data: ");
    }

    /** TwelveMonkeys would decode this one without complaint. */
    @Test
    void truncatedWebp() throws IOException {
        assertFails(truncated("webp-lossless.webp", 0.6), "is truncated (954 of 1590 bytes)");
    }

    @Test
    void truncatedBmp() throws IOException {
        assertFails(truncated("bmp-24.bmp", 0.6), "cannot be decoded as BMP (unexpected end of file)");
    }

    private Path truncated(String name, double fraction) throws IOException {
        byte[] whole = Files.readAllBytes(Goldens.path(name));
        return write("cut-" + name, Arrays.copyOf(whole, (int) (whole.length * fraction)));
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(temp.resolve(name), bytes);
    }

    /** One line that starts with the path and says what is wrong. */
    private static void assertFails(Path path, String problem) {
        assertFails(path, ImageLoader.IMAGE_IO, problem);
    }

    private static void assertFails(Path path, JpegDecoder decoder, String problem) {
        ImageException e = assertThrows(ImageException.class, () -> ImageLoader.load(path, decoder));
        String message = e.getMessage();
        assertTrue(message.startsWith(path + ": " + problem), message);
        assertFalse(message.contains("\n"), message);
    }

    static void assertSameSize(FloatImage expected, FloatImage actual, String what) {
        assertEquals(expected.width() + "x" + expected.height() + "x" + expected.channels(),
                actual.width() + "x" + actual.height() + "x" + actual.channels(), what + ": size");
    }

    /** Equal float bit patterns everywhere; names the first (x, y, channel) that differs. */
    static void assertBitsEqual(FloatImage expected, FloatImage actual, String what) {
        assertSameSize(expected, actual, what);
        float[] want = expected.data();
        float[] got = actual.data();
        for (int i = 0; i < want.length; i++) {
            if (Float.floatToRawIntBits(want[i]) != Float.floatToRawIntBits(got[i])) {
                int plane = expected.width() * expected.height();
                int x = i % plane % expected.width();
                int y = i % plane / expected.width();
                throw new AssertionError(what + ": at x=" + x + " y=" + y + " channel " + i / plane
                        + " expected " + want[i] + " (" + Math.round(want[i] * 255) + "/255) but was " + got[i]
                        + " (" + Math.round(got[i] * 255) + "/255)");
            }
        }
    }
}
