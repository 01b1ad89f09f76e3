package org.jdarknet.image;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.jdarknet.UsageException;

/** The ways darknet turns an image of any size into the network's input. */
public enum Preprocessing {
    /** {@code classify}'s default: fit inside, keep the aspect ratio, pad with grey. */
    LETTERBOX("letterbox") {
        @Override
        public FloatImage apply(FloatImage image, int width, int height) {
            return Resize.letterbox(image, width, height);
        }

        @Override
        FloatImage apply(Rgb8Image image, int width, int height) {
            return Resize.letterbox(image, width, height);
        }
    },
    /** Stretch to the input size. */
    RESIZE("resize") {
        @Override
        public FloatImage apply(FloatImage image, int width, int height) {
            return Resize.bilinear(image, width, height);
        }

        @Override
        FloatImage apply(Rgb8Image image, int width, int height) {
            return Resize.bilinear(image, width, height);
        }
    },
    /** {@code classifier valid}'s: shorter side to the input width, then the centred window. */
    RESIZE_MIN_CROP("resize-min-crop") {
        @Override
        public FloatImage apply(FloatImage image, int width, int height) {
            FloatImage resized = Resize.resizeMin(image, width);
            return Resize.crop(resized, (resized.width() - width) / 2, (resized.height() - height) / 2, width, height);
        }
    },
    /** The largest centred square, stretched to the input size. */
    CENTER_CROP("center-crop") {
        @Override
        public FloatImage apply(FloatImage image, int width, int height) {
            return Resize.centerCrop(image, width, height);
        }
    };

    private final String cliName;

    Preprocessing(String cliName) {
        this.cliName = cliName;
    }

    public abstract FloatImage apply(FloatImage image, int width, int height);

    /**
     * The same floats as {@code apply(image.toFloat(), width, height)}; the letterbox and the
     * resize read the bytes themselves, sooner than making the whole image floats first.
     */
    FloatImage apply(Rgb8Image image, int width, int height) {
        return apply(image.toFloat(), width, height);
    }

    public String cliName() {
        return cliName;
    }

    public static Preprocessing byName(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        for (Preprocessing preprocessing : values()) {
            if (preprocessing.cliName.equals(wanted)) {
                return preprocessing;
            }
        }
        throw new UsageException("unknown preprocessing '" + name + "'; known: " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(Preprocessing::cliName).collect(Collectors.joining(", "));
    }
}
