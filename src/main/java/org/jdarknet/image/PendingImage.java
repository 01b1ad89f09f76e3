package org.jdarknet.image;

/**
 * An image decoded before the size it is to be made into is known (a classify run decodes its
 * first images while the network loads): an upright JPEG that libjpeg-turbo decoded stays its
 * bytes, which {@link #prepare} resizes straight from; any other image is darknet's floats.
 * Either way {@link #prepare} gives the floats {@code preprocessing.apply(ImageLoader.load(...))}
 * gives; keeping the bytes spares a float copy of the whole image (a 768×576 photo's
 * 1.3 million samples, converted while the JIT has not compiled the loop yet).
 */
public final class PendingImage {
    private final Rgb8Image bytes;
    private final FloatImage floats;

    private PendingImage(Rgb8Image bytes, FloatImage floats) {
        this.bytes = bytes;
        this.floats = floats;
    }

    static PendingImage ofBytes(Rgb8Image bytes) {
        return new PendingImage(bytes, null);
    }

    static PendingImage ofFloats(FloatImage floats) {
        return new PendingImage(null, floats);
    }

    /** {@code preprocessing}'s width×height input made from this image. */
    public FloatImage prepare(Preprocessing preprocessing, int width, int height) {
        return bytes != null ? preprocessing.apply(bytes, width, height) : preprocessing.apply(floats, width, height);
    }
}
