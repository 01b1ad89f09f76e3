package org.jdarknet.image;

/**
 * An image as darknet holds it: planar float channels (RGB), rows top to bottom, values in [0,1].
 * Index of (x, y, channel) is {@code (channel*height + y)*width + x}.
 */
public record FloatImage(int width, int height, int channels, float[] data) {
    /** {@code sample/255.} for each 8-bit sample, computed in double and rounded once, as darknet scales pixels. */
    private static final float[] UNIT = new float[256];

    static {
        for (int sample = 0; sample < UNIT.length; sample++) {
            UNIT[sample] = (float) (sample / 255.0);
        }
    }

    public FloatImage {
        if (width < 1 || height < 1 || channels < 1 || data.length != width * height * channels) {
            throw new IllegalArgumentException("image " + width + "x" + height + "x" + channels
                    + " with " + data.length + " values");
        }
    }

    /** An 8-bit sample (0 to 255) as a value in [0,1]: {@code sample/255.} rounded once, looked up. */
    static float unit(int sample) {
        return UNIT[sample];
    }

    /** A new image of the given size with every value set to {@code value}. */
    public static FloatImage filled(int width, int height, int channels, float value) {
        float[] data = new float[width * height * channels];
        java.util.Arrays.fill(data, value);
        return new FloatImage(width, height, channels, data);
    }

    public float get(int x, int y, int channel) {
        return data[(channel * height + y) * width + x];
    }

    public void set(int x, int y, int channel, float value) {
        data[(channel * height + y) * width + x] = value;
    }
}
