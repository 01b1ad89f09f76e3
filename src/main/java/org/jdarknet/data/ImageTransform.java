package org.jdarknet.data;

import org.jdarknet.image.FloatImage;
import org.jdarknet.image.Preprocessing;

/** Turns a decoded image into one network input of {@link #width()}×{@link #height()}, RGB. */
public interface ImageTransform {

    FloatImage apply(FloatImage image, DarknetRandom random);

    int width();

    int height();

    /** The deterministic preprocessing of validation (darknet's {@code classifier valid}: center crop). */
    static ImageTransform of(Preprocessing preprocessing, int width, int height) {
        return new Preprocessed(preprocessing, width, height);
    }

    /** A {@link Preprocessing} to a fixed size; uses no randomness. */
    record Preprocessed(Preprocessing preprocessing, int width, int height) implements ImageTransform {
        @Override
        public FloatImage apply(FloatImage image, DarknetRandom random) {
            return preprocessing.apply(image, width, height);
        }
    }
}
