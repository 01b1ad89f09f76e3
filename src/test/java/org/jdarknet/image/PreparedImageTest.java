package org.jdarknet.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Decoding straight into the network's input gives exactly the floats of decoding and then
 * preprocessing, which the other image tests compare with darknet: for every image, decoder and
 * preprocessing, shrinking, enlarging and to one row or column; and resizing from bytes gives the
 * floats of resizing from their floats.
 */
class PreparedImageTest {
    private static final List<int[]> SIZES = List.of(new int[] {224, 224}, new int[] {9, 5}, new int[] {3, 40},
            new int[] {1, 7}, new int[] {6, 1});

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("org.jdarknet.image.ImageLoaderTest#exactImagesByDecoder")
    void aPreparedImageIsTheLoadedImagePreprocessed(String decoderName, String name) {
        JpegDecoder decoder = ImageLoaderTest.decoder(decoderName);
        Path path = Goldens.path(name);
        FloatImage loaded = ImageLoader.load(path, decoder);
        for (Preprocessing preprocessing : Preprocessing.values()) {
            for (int[] size : SIZES) {
                FloatImage prepared = ImageLoader.loadPrepared(path, ImageLoader.DEFAULT_MAX_PIXELS, preprocessing,
                        size[0], size[1], decoder);
                assertArrayEquals(preprocessing.apply(loaded, size[0], size[1]).data(), prepared.data(),
                        name + ", " + preprocessing.cliName() + " to " + size[0] + "x" + size[1]);
            }
        }
    }

    /** Upright JPEGs take the bytes' way through libjpeg-turbo, turned ones the floats'; the floats are the same. */
    @ParameterizedTest
    @MethodSource("jpegsAndTheirWay")
    void uprightJpegsAreResizedFromTheirBytes(String name, boolean fromBytes) {
        CountingDecoder counting = new CountingDecoder(ImageLoaderTest.decoder("turbo"));
        ImageLoader.loadPrepared(Goldens.path(name), ImageLoader.DEFAULT_MAX_PIXELS, Preprocessing.LETTERBOX, 16, 16,
                counting);
        assertEquals(fromBytes ? 1 : 0, counting.bytes, name + " decoded to bytes");
        assertEquals(fromBytes ? 0 : 1, counting.floats, name + " decoded to floats");
    }

    static List<Arguments> jpegsAndTheirWay() {
        return List.of(Arguments.of("jpeg-420.jpg", true),
                Arguments.of("jpeg-cmyk.jpg", true),
                Arguments.of("jpeg-exif-orientation1.jpg", true),
                Arguments.of("jpeg-exif-orientation6.jpg", false));
    }

    @ParameterizedTest
    @EnumSource(value = Preprocessing.class, names = {"LETTERBOX", "RESIZE"})
    void resizingFromBytesGivesTheFloatsOfResizingTheirFloats(Preprocessing preprocessing) {
        Random random = new Random(7);
        int[][] sources = {{1, 1}, {1, 9}, {9, 1}, {2, 2}, {31, 17}, {17, 31}, {640, 480}};
        for (int[] source : sources) {
            byte[] samples = new byte[3 * source[0] * source[1]];
            random.nextBytes(samples);
            Rgb8Image image = new Rgb8Image(source[0], source[1], samples);
            for (int[] size : SIZES) {
                assertArrayEquals(preprocessing.apply(image.toFloat(), size[0], size[1]).data(),
                        preprocessing.apply(image, size[0], size[1]).data(),
                        source[0] + "x" + source[1] + " to " + size[0] + "x" + size[1]);
            }
        }
    }

    /** A decoder that counts which of its two ways was asked for. */
    private static final class CountingDecoder implements JpegDecoder {
        private final JpegDecoder decoder;
        int floats;
        int bytes;

        CountingDecoder(JpegDecoder decoder) {
            this.decoder = decoder;
        }

        @Override
        public FloatImage decode(Path path, byte[] file, long maxPixels) {
            floats++;
            return decoder.decode(path, file, maxPixels);
        }

        @Override
        public Optional<Rgb8Image> decodeBytes(Path path, byte[] file, long maxPixels) {
            bytes++;
            return decoder.decodeBytes(path, file, maxPixels);
        }

        @Override
        public String name() {
            return "counting " + decoder.name();
        }
    }
}
