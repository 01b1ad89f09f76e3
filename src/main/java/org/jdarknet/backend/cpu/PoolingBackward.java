package org.jdarknet.backend.cpu;

import java.nio.FloatBuffer;
import org.jdarknet.backend.PoolSpec;
import org.jdarknet.backend.Shape;

/**
 * Back through max and global average pooling, as Java passes over the activation layout shared
 * out by segment (a pooling's input and output have the same channels, so the same segments).
 * Max pooling finds each window's largest input again, with darknet's strict {@code >}: the first
 * largest value in row order takes the whole delta, also where values tie (the zeros after a
 * relu). oneDNN's workspace-based backward does not promise that order.
 */
record PoolingBackward(JavaThreads threads) {

    void max(PoolSpec spec, ActivationTensor input, ActivationTensor delta, ActivationTensor inputDelta) {
        Layout in = ActivationTensor.sharedLayout(input, inputDelta);
        Layout out = delta.layout();
        int lanes = in.pointStride();
        FloatBuffer x = input.values();
        FloatBuffer d = delta.values();
        FloatBuffer dx = inputDelta.values();
        threads.split(in.segments(), (part, from, to) -> {
            int[] window = new int[spec.size() * spec.size()];
            for (int segment = from; segment < to; segment++) {
                int start = in.segmentStart(segment);
                int channels = in.segmentChannels(segment);
                for (int y = 0; y < spec.outputHeight(); y++) {
                    for (int x0 = 0; x0 < spec.outputWidth(); x0++) {
                        int cells = window(spec, y, x0, lanes, window);
                        int base = out.segmentStart(segment) + (y * spec.outputWidth() + x0) * lanes;
                        for (int j = start; j < start + channels; j++, base++) {
                            int argmax = argmax(x, j, window, cells);
                            if (argmax >= 0) {
                                dx.put(argmax, dx.get(argmax) + d.get(base));
                            }
                        }
                    }
                }
            }
        });
    }

    /**
     * The offsets in a segment of the window's cells inside the image, in row order, for
     * {@code lanes} values per point; returns how many there are.
     */
    private static int window(PoolSpec spec, int y, int x0, int lanes, int[] offsets) {
        Shape is = spec.input();
        int cells = 0;
        for (int dy = 0; dy < spec.size(); dy++) {
            int iy = spec.offset() + y * spec.stride() + dy;
            for (int dx = 0; dx < spec.size(); dx++) {
                int ix = spec.offset() + x0 * spec.stride() + dx;
                if (iy >= 0 && iy < is.h() && ix >= 0 && ix < is.w()) {
                    offsets[cells++] = (iy * is.w() + ix) * lanes;
                }
            }
        }
        return cells;
    }

    /**
     * The buffer index of the first largest of the window's values at {@code first + offsets[k]},
     * ignoring values not above {@code -FLT_MAX} as darknet's {@code value > max} does; -1 for none.
     *
     * <p>Which cell wins is as unpredictable as the data, so instead of a branch per cell it takes
     * the maximum of 64-bit keys: the value as an order-preserving integer in the high half, the
     * cell's priority (earlier cells higher) in the low half. The start key, {@code -FLT_MAX} with
     * the highest priority, wins every tie with it, as darknet's start value does.
     */
    private static int argmax(FloatBuffer x, int first, int[] offsets, int cells) {
        long best = (long) ordered(-Float.MAX_VALUE) << 32 | cells;
        for (int k = 0; k < cells; k++) {
            best = Math.max(best, (long) ordered(x.get(first + offsets[k])) << 32 | (cells - 1 - k));
        }
        int priority = (int) best;
        return priority == cells ? -1 : first + offsets[cells - 1 - priority];
    }

    /**
     * An integer that orders as the float does, with -0 equal to 0 and NaN below every number
     * (NaN never wins a {@code >} comparison).
     */
    private static int ordered(float value) {
        int bits = Float.floatToRawIntBits(value == value ? value + 0f : Float.NEGATIVE_INFINITY);
        return bits ^ (bits >> 31 & Integer.MAX_VALUE);
    }

    /** Each channel's delta divided evenly among its input positions (darknet divides, then adds). */
    void average(ActivationTensor delta, ActivationTensor inputDelta) {
        Layout in = inputDelta.layout();
        Layout out = delta.layout();
        int points = in.shape().h() * in.shape().w();
        int lanes = in.pointStride();
        FloatBuffer d = delta.values();
        FloatBuffer dx = inputDelta.values();
        threads.split(in.segments(), (part, from, to) -> {
            float[] shares = new float[lanes];
            for (int segment = from; segment < to; segment++) {
                int channels = in.segmentChannels(segment);
                for (int j = 0; j < channels; j++) {
                    shares[j] = d.get(out.segmentStart(segment) + j) / points;
                }
                for (int point = 0, base = in.segmentStart(segment); point < points; point++, base += lanes) {
                    for (int j = 0; j < channels; j++) {
                        dx.put(base + j, dx.get(base + j) + shares[j]);
                    }
                }
            }
        });
    }
}
