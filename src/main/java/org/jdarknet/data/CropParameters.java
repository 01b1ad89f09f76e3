package org.jdarknet.data;

/**
 * Where darknet's random crop samples the source image ({@code augment_args}): the output is
 * {@code width}×{@code height}, the source is scaled by {@code scale} (and by {@code aspect}
 * horizontally), turned by {@code radians} about its centre and shifted by ({@code dx}, {@code dy})
 * output pixels.
 */
public record CropParameters(float radians, float scale, int width, int height, float dx, float dy, float aspect) {

    /** Darknet's {@code TWO_PI}, a float constant. */
    private static final float TWO_PI = 6.2831853071795864769252866f;

    /**
     * Darknet's {@code random_augment_args}: an aspect from {@code rand_scale(aspect)}, the
     * shorter side scaled to a random size in [low, high], an angle within ±{@code angle} degrees
     * and a random offset that keeps the crop's centre inside the scaled image. The draws come in
     * darknet's order so that the same {@code rand()} sequence gives the same crop.
     */
    public static CropParameters random(int imageWidth, int imageHeight, float angle, float aspect, int low, int high,
                                        int width, int height, DarknetRandom random) {
        aspect = random.scale(aspect);
        int size = random.integer(low, high);
        // C converts the conditional to float (int vs float operands), then truncates to int.
        int shorter = (int) (imageHeight < imageWidth * aspect ? imageHeight : imageWidth * aspect);
        float scale = (float) size / shorter;
        float radians = (float) (random.uniform(-angle, angle) * TWO_PI / 360.0);
        // Darknet subtracts the crop width for dy as well; the same as long as crops are square.
        float dx = (float) ((imageWidth * scale / aspect - width) / 2.0);
        float dy = (float) ((imageHeight * scale - height) / 2.0);
        dx = random.uniform(-dx, dx);
        dy = random.uniform(-dy, dy);
        return new CropParameters(radians, scale, width, height, dx, dy, aspect);
    }
}
