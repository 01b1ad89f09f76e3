package org.jdarknet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.List;
import org.jdarknet.image.FloatImage;
import org.jdarknet.image.ImageLoader;
import org.jdarknet.image.Resize;
import org.jdarknet.net.AugmentationConfig;
import org.junit.jupiter.api.Test;

/** Augmentation against goldens from the C darknet's own functions (scripts/oracle/darknet-augment.c). */
class AugmentationTest {
    /**
     * Debian's darknet is built with -Ofast, which reassociates bilinear_interpolate's float sums:
     * results differ from the C source's arithmetic (which we follow) by up to about 5e-7.
     */
    private static final float TOLERANCE = 1e-6f;

    private static FloatImage picture() {
        return ImageLoader.load(AugmentGolden.resource("augment.ppm"));
    }

    @Test
    void decodesTheTestPictureAsDarknetDoes() {
        AugmentGolden.Case golden = AugmentGolden.cases("image").get(0);
        assertArrayEquals(golden.outputs().get(0), picture().data());
    }

    @Test
    void rotateCropMatchesDarknet() {
        List<AugmentGolden.Case> cases = AugmentGolden.cases("rotate_crop");
        assertEquals(5, cases.size());
        for (AugmentGolden.Case golden : cases) {
            CropParameters crop = new CropParameters(golden.floatParameter(0), golden.floatParameter(1),
                    golden.intParameter(2), golden.intParameter(3), golden.floatParameter(4), golden.floatParameter(5),
                    golden.floatParameter(6));
            FloatImage out = Augmentation.rotateCrop(picture(), crop);
            assertClose(golden.outputs().get(0), out.data(), crop.toString());
        }
    }

    @Test
    void unrotatedUnscaledCropIsAWindowOfTheSource() {
        FloatImage image = picture();
        FloatImage out = Augmentation.rotateCrop(image, new CropParameters(0, 1, 12, 12, 2, -1, 1));
        // Centre (12, 9) shifted by (2, -1): the window starts at (12 - 6 + 2, 9 - 6 - 1).
        assertArrayEquals(Resize.crop(image, 8, 2, 12, 12).data(), out.data());
    }

    @Test
    void distortMatchesDarknet() {
        List<AugmentGolden.Case> cases = AugmentGolden.cases("distort");
        assertEquals(4, cases.size());
        for (AugmentGolden.Case golden : cases) {
            FloatImage image = picture();
            Augmentation.distort(image, golden.floatParameter(0), golden.floatParameter(1), golden.floatParameter(2));
            assertClose(golden.outputs().get(0), image.data(), "distort " + String.join(" ", golden.parameters()));
        }
    }

    @Test
    void hsvMatchesDarknetIncludingTheUndefinedHueOfGreys() {
        FloatImage image = picture();
        Augmentation.rgbToHsv(image);
        float[] expected = AugmentGolden.cases("rgb_to_hsv").get(0).outputs().get(0);
        assertClose(expected, image.data(), "rgb_to_hsv");
        assertFalse(Float.isNaN(image.data()[0]), "black has hue 0");
    }

    @Test
    void hsvRoundTripKeepsColoursWithinRounding() {
        FloatImage image = picture();
        float[] original = image.data().clone();
        Augmentation.rgbToHsv(image);
        Augmentation.hsvToRgb(image);
        assertClose(original, image.data(), "round trip");
    }

    @Test
    void flipMirrorsEachRowAsDarknetDoes() {
        FloatImage image = picture();
        Augmentation.flip(image);
        assertArrayEquals(AugmentGolden.cases("flip").get(0).outputs().get(0), image.data());
        FloatImage odd = new FloatImage(3, 1, 3, new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        Augmentation.flip(odd);
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4, 9, 8, 7}, odd.data());
    }

    @Test
    void centerCropMatchesDarknet() {
        AugmentGolden.Case golden = AugmentGolden.cases("center_crop").get(0);
        FloatImage out = Resize.centerCrop(picture(), golden.intParameter(0), golden.intParameter(1));
        assertArrayEquals(golden.outputs().get(0), out.data());
    }

    @Test
    void randomCropParametersMatchDarknetForTheSameRandSequence() {
        List<AugmentGolden.Case> cases = AugmentGolden.cases("augment_args");
        assertEquals(3, cases.size());
        FloatImage image = picture();
        for (AugmentGolden.Case golden : cases) {
            DarknetRandom random = new DarknetRandom(new GlibcRand(golden.intParameter(0)));
            int size = golden.intParameter(5);
            CropParameters crop = CropParameters.random(image.width(), image.height(), golden.floatParameter(1),
                    golden.floatParameter(2), golden.intParameter(3), golden.intParameter(4), size, size, random);
            float[] actual = {crop.radians(), crop.scale(), crop.dx(), crop.dy(), crop.aspect()};
            assertClose(golden.outputs().get(0), actual, crop.toString());
        }
    }

    /** The whole of darknet's load_image_augment_paths, random draws included, replayed with glibc's rand(). */
    @Test
    void augmenterMatchesDarknetsClassifierAugmentation() {
        List<AugmentGolden.Case> cases = AugmentGolden.cases("augment_paths");
        assertEquals(3, cases.size());
        for (AugmentGolden.Case golden : cases) {
            int size = golden.intParameter(4);
            AugmentationConfig config = new AugmentationConfig(golden.intParameter(2), golden.intParameter(3),
                    golden.floatParameter(6), golden.floatParameter(5), golden.floatParameter(7),
                    golden.floatParameter(8), golden.floatParameter(9), golden.intParameter(10) == 1, true);
            Augmenter augmenter = Augmenter.of(config, size, size);
            DarknetRandom random = new DarknetRandom(new GlibcRand(golden.intParameter(0)));
            for (float[] expected : golden.outputs()) {
                FloatImage out = augmenter.apply(picture(), random);
                assertClose(expected, out.data(), "augment_paths " + String.join(" ", golden.parameters()));
            }
        }
    }

    @Test
    void flipOffKeepsTheOtherDrawsInStep() {
        boolean sawFlip = false;
        for (int seed = 1; seed <= 8; seed++) {
            FloatImage flipping = augment(true, seed);
            FloatImage still = augment(false, seed);
            if (!Arrays.equals(flipping.data(), still.data())) {
                Augmentation.flip(flipping);
                assertArrayEquals(flipping.data(), still.data(), "the same image but for the mirror");
                sawFlip = true;
            }
        }
        assertTrue(sawFlip);
    }

    private static FloatImage augment(boolean flip, int seed) {
        AugmentationConfig config = new AugmentationConfig(12, 24, 1.2f, 10, 0.1f, 1.5f, 1.5f, false, flip);
        return Augmenter.of(config, 12, 12).apply(picture(), new DarknetRandom(new GlibcRand(seed)));
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            boolean close = Float.isNaN(expected[i]) ? Float.isNaN(actual[i])
                    : Math.abs(expected[i] - actual[i]) <= TOLERANCE;
            if (!close) {
                fail(what + ": value " + i + " is " + actual[i] + ", darknet's " + expected[i]);
            }
        }
    }
}
