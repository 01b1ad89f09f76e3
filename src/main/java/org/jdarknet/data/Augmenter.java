package org.jdarknet.data;

import org.jdarknet.image.FloatImage;
import org.jdarknet.image.Resize;
import org.jdarknet.net.AugmentationConfig;

/**
 * Darknet's classifier training augmentation ({@code load_image_augment_paths}) for one network
 * input size: a random crop (or, with {@code center=1}, the centred square), a random horizontal
 * flip, then a random hue/saturation/exposure distortion. Immutable and thread-safe; the
 * randomness comes from the caller. (pjreddie's {@code train_classifier} never hands
 * {@code center} to its loader, so darknet ignores it there; we honour it as the loader would.)
 */
public final class Augmenter implements ImageTransform {
    private final AugmentationConfig config;
    private final int width;
    private final int height;
    private final int minSize;
    private final int maxSize;

    private Augmenter(AugmentationConfig config, int width, int height) {
        this.config = config;
        this.width = width;
        this.height = height;
        this.minSize = cropSize(config.minCrop(), width);
        this.maxSize = cropSize(config.maxCrop(), width);
    }

    /** The augmentation of {@code [net]} for a network input of width×height. */
    public static Augmenter of(AugmentationConfig config, int width, int height) {
        return new Augmenter(config, width, height);
    }

    /**
     * Darknet goes from crop to ratio and back ({@code min_ratio = (float)min_crop/w}, then
     * {@code args.min = min_ratio*w} truncated), which can lose one pixel; we do the same.
     */
    private static int cropSize(int crop, int width) {
        float ratio = (float) crop / width;
        return (int) (ratio * width);
    }

    @Override
    public FloatImage apply(FloatImage image, DarknetRandom random) {
        FloatImage crop = config.center()
                ? Resize.centerCrop(image, width, height)
                : Augmentation.rotateCrop(image, CropParameters.random(image.width(), image.height(),
                        config.angle(), orOne(config.aspect()), minSize, maxSize, width, height, random));
        // Darknet always flips at random; with our `flip=0` the draw is still made, so the others keep their order.
        boolean flip = random.coin();
        if (flip && config.flip()) {
            Augmentation.flip(crop);
        }
        float hue = random.uniform(-config.hue(), config.hue());
        float saturation = random.scale(orOne(config.saturation()));
        float exposure = random.scale(orOne(config.exposure()));
        Augmentation.distort(crop, hue, saturation, exposure);
        return crop;
    }

    /** Darknet's loader treats 0 for aspect, saturation and exposure as 1 (no change). */
    private static float orOne(float value) {
        return value == 0 ? 1 : value;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int height() {
        return height;
    }
}
