package org.jdarknet.backend.cpu;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.jdarknet.backend.PoolSpec;
import org.jdarknet.backend.Shape;

/**
 * Back through max and global average pooling, as Java passes over the activation layout shared
 * out by segment (a pooling's input and output have the same channels, so the same segments).
 * Max pooling finds each window's largest input again, with darknet's strict {@code >}: the first
 * largest value in row order takes the whole delta, also where values tie (the zeros after a
 * relu). oneDNN's workspace-based backward does not promise that order.
 */
final class PoolingBackward {
    private final JavaThreads threads;

    PoolingBackward(JavaThreads threads) {
        this.threads = threads;
    }

    void max(PoolSpec spec, ActivationTensor input, ActivationTensor delta, ActivationTensor inputDelta) {
        Layout in = ActivationTensor.sharedLayout(input, inputDelta);
        Layout out = delta.layout();
        int lanes = in.pointStride();
        FloatBuffer x = input.values();
        FloatBuffer d = delta.values();
        FloatBuffer dx = inputDelta.values();
        threads.split(in.segments(), (part, from, to) -> {
            float[] largest = new float[lanes];
            int[] argmax = new int[lanes];
            for (int segment = from; segment < to; segment++) {
                int channels = in.segmentChannels(segment);
                for (int y = 0; y < spec.outputHeight(); y++) {
                    for (int x0 = 0; x0 < spec.outputWidth(); x0++) {
                        windowArgmax(spec, x, in.segmentStart(segment), y, x0, lanes, channels, largest, argmax);
                        int base = out.segmentStart(segment) + (y * spec.outputWidth() + x0) * lanes;
                        for (int j = 0; j < channels; j++) {
                            if (argmax[j] >= 0) {
                                dx.put(argmax[j], dx.get(argmax[j]) + d.get(base + j));
                            }
                        }
                    }
                }
            }
        });
    }

    /** For each channel of a segment, the buffer index of the window's first largest input (-1 if none). */
    private static void windowArgmax(PoolSpec spec, FloatBuffer x, int start, int y, int x0, int lanes, int channels,
                                     float[] largest, int[] argmax) {
        Shape is = spec.input();
        Arrays.fill(largest, -Float.MAX_VALUE);
        Arrays.fill(argmax, -1);
        for (int dy = 0; dy < spec.size(); dy++) {
            int iy = spec.offset() + y * spec.stride() + dy;
            for (int dx = 0; dx < spec.size(); dx++) {
                int ix = spec.offset() + x0 * spec.stride() + dx;
                if (iy < 0 || iy >= is.h() || ix < 0 || ix >= is.w()) {
                    continue;
                }
                int base = start + (iy * is.w() + ix) * lanes;
                for (int j = 0; j < channels; j++) {
                    float value = x.get(base + j);
                    if (value > largest[j]) {
                        largest[j] = value;
                        argmax[j] = base + j;
                    }
                }
            }
        }
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
