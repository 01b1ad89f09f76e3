package org.jdarknet.backend.cpu;

import java.nio.FloatBuffer;

/**
 * Per-channel sums over every item and point of an activation tensor, {@code Σa} and
 * {@code Σa·b}, for batch normalisation and bias gradients. They are accumulated in double, in
 * memory order and in parallel, so they differ from darknet's sequential float sums by darknet's
 * rounding error.
 *
 * @param sums     {@code Σa} per channel
 * @param products {@code Σa·b} per channel
 */
record ChannelSums(double[] sums, double[] products) {

    /** The sums over {@code a} and {@code b}, which have the same layout; without {@code b} (null) the products are zero. */
    static ChannelSums of(JavaThreads threads, ActivationTensor a, ActivationTensor b) {
        Layout layout = b == null ? a.layout() : ActivationTensor.sharedLayout(a, b);
        int parts = threads.parts(layout.segments());
        double[][] sums = new double[parts][layout.paddedChannels()];
        double[][] products = new double[parts][layout.paddedChannels()];
        FloatBuffer x = a.values();
        FloatBuffer y = b == null ? null : b.values();
        threads.split(layout.segments(), (part, from, to) -> accumulate(layout, x, y, from, to, sums[part], products[part]));
        return new ChannelSums(total(sums, layout.shape().c()), total(products, layout.shape().c()));
    }

    private static void accumulate(Layout layout, FloatBuffer a, FloatBuffer b, int fromSegment, int toSegment,
                                   double[] sums, double[] products) {
        int points = layout.shape().h() * layout.shape().w();
        int stride = layout.pointStride();
        for (int segment = fromSegment; segment < toSegment; segment++) {
            int first = layout.segmentChannel(segment);
            int channels = layout.segmentChannels(segment);
            for (int point = 0, base = layout.segmentStart(segment); point < points; point++, base += stride) {
                for (int j = 0; j < channels; j++) {
                    float value = a.get(base + j);
                    sums[first + j] += value;
                    if (b != null) {
                        products[first + j] += (double) value * b.get(base + j);
                    }
                }
            }
        }
    }

    /** Adds the sums to {@code target}'s values (a bias gradient). */
    void addSumsTo(ParameterTensor target) {
        float[] values = target.values();
        for (int c = 0; c < sums.length; c++) {
            values[c] += (float) sums[c];
        }
        target.changed();
    }

    /** The parts' results added up, for the first {@code channels} channels. */
    private static double[] total(double[][] parts, int channels) {
        double[] total = new double[channels];
        for (double[] part : parts) {
            for (int c = 0; c < channels; c++) {
                total[c] += part[c];
            }
        }
        return total;
    }
}
