package org.jdarknet.image;

import static org.jdarknet.image.ImageLoaderTest.assertBitsEqual;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Resize} against libdarknet's resize_image, letterbox_image, resize_min, crop_image and
 * center_crop_image, run by scripts/oracle/make-image-goldens.py on random float images
 * (resize-src-WxH.f32). Equality is of float bit patterns: no tolerance.
 */
class ResizeTest {

    /** One call: darknet's function, source size, its arguments and the size it returns. */
    record Case(String operation, int sourceWidth, int sourceHeight, int[] arguments, int width, int height) {

        String golden() {
            String args = Arrays.stream(arguments).mapToObj(Integer::toString).collect(Collectors.joining("_"));
            return "resize-" + operation + "-" + sourceWidth + "x" + sourceHeight + "-" + args + ".f32";
        }

        FloatImage source() {
            return Goldens.floats("resize-src-" + sourceWidth + "x" + sourceHeight + ".f32", sourceWidth, sourceHeight);
        }

        @Override
        public String toString() {
            return golden();
        }
    }

    /** In step with RESIZE_CASES of the generator. */
    static List<Case> cases() {
        return List.of(
                // upscale, downscale, same size, 1-pixel-wide output and 1-pixel sources
                new Case("resize", 7, 5, new int[] {13, 11}, 13, 11),
                new Case("resize", 7, 5, new int[] {4, 3}, 4, 3),
                new Case("resize", 7, 5, new int[] {7, 5}, 7, 5),
                new Case("resize", 7, 5, new int[] {2, 2}, 2, 2),
                new Case("resize", 5, 7, new int[] {1, 4}, 1, 4),
                new Case("resize", 1, 6, new int[] {5, 4}, 5, 4),
                new Case("resize", 6, 1, new int[] {4, 5}, 4, 5),
                new Case("resize", 1, 1, new int[] {3, 2}, 3, 2),
                new Case("resize", 19, 13, new int[] {11, 37}, 11, 37),
                // wide and tall into squares, into a flat box, already fitting, resized to nothing
                new Case("letterbox", 7, 5, new int[] {8, 8}, 8, 8),
                new Case("letterbox", 5, 7, new int[] {8, 8}, 8, 8),
                new Case("letterbox", 7, 5, new int[] {16, 4}, 16, 4),
                new Case("letterbox", 19, 13, new int[] {16, 16}, 16, 16),
                new Case("letterbox", 5, 7, new int[] {5, 7}, 5, 7),
                new Case("letterbox", 40, 1, new int[] {8, 8}, 8, 8),
                new Case("letterbox", 1, 40, new int[] {8, 8}, 8, 8),
                new Case("resizemin", 7, 5, new int[] {3}, 4, 3),
                new Case("resizemin", 7, 5, new int[] {5}, 7, 5),
                new Case("resizemin", 5, 7, new int[] {10}, 10, 14),
                new Case("resizemin", 19, 13, new int[] {9}, 13, 9),
                // inside, sticking out on every side (edge pixels repeat), at the corner
                new Case("crop", 7, 5, new int[] {2, 1, 3, 3}, 3, 3),
                new Case("crop", 7, 5, new int[] {-2, -1, 10, 8}, 10, 8),
                new Case("crop", 7, 5, new int[] {5, 3, 4, 4}, 4, 4),
                new Case("centercrop", 7, 5, new int[] {4, 4}, 4, 4),
                new Case("centercrop", 5, 7, new int[] {9, 6}, 9, 6),
                new Case("centercrop", 1, 6, new int[] {3, 3}, 3, 3),
                new Case("centercrop", 19, 13, new int[] {9, 9}, 9, 9));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void matchesDarknetBitForBit(Case c) {
        FloatImage expected = Goldens.floats(c.golden(), c.width(), c.height());
        assertBitsEqual(expected, apply(c), c.golden());
    }

    /** Like darknet, resize_min returns the image itself when nothing changes. */
    @Test
    void resizeMinKeepsAnImageOfTheRightSize() {
        FloatImage image = Goldens.floats("resize-src-7x5.f32", 7, 5);
        assertSame(image, Resize.resizeMin(image, 5));
    }

    /**
     * Not darknet's: one output row is undefined there (division by zero, then a read at row
     * (int) NaN). We give the first row, what its formula yields for any finite scale.
     */
    @Test
    void resizeToOneRowTakesTheFirstRow() {
        FloatImage image = Goldens.floats("resize-src-7x5.f32", 7, 5);
        FloatImage row = Resize.bilinear(image, 7, 1);
        for (int k = 0; k < 3; k++) {
            for (int x = 0; x < 7; x++) {
                assertEquals(image.get(x, 0, k), row.get(x, 0, k));
            }
        }
    }

    private static FloatImage apply(Case c) {
        FloatImage source = c.source();
        int[] a = c.arguments();
        return switch (c.operation()) {
            case "resize" -> Resize.bilinear(source, a[0], a[1]);
            case "letterbox" -> Resize.letterbox(source, a[0], a[1]);
            case "resizemin" -> Resize.resizeMin(source, a[0]);
            case "crop" -> Resize.crop(source, a[0], a[1], a[2], a[3]);
            case "centercrop" -> Resize.centerCrop(source, a[0], a[1]);
            default -> throw new IllegalArgumentException(c.operation());
        };
    }
}
