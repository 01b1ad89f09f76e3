package org.jdarknet.backend.cpu;

import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.jdarknet.backend.Shape;

/**
 * Training-time dropout. The mask draws one number per value from {@code SplittableRandom(seed)}
 * in logical NCHW order, as the reference backend does, so that both backends drop the same
 * values for the same seed; that draw is sequential. Backward runs in memory order, in parallel:
 * padding lanes of the mask are zero, which zeroes (or keeps at zero) the delta's padding.
 */
record Dropout(JavaThreads threads) {

    void forward(ActivationTensor tensor, ActivationTensor mask, float probability, long seed) {
        Layout layout = ActivationTensor.sharedLayout(tensor, mask);
        SplittableRandom random = new SplittableRandom(seed);
        float scale = keptScale(probability);
        FloatBuffer x = tensor.values();
        FloatBuffer m = mask.values();
        Shape shape = layout.shape();
        for (int n = 0; n < shape.n(); n++) {
            for (int c = 0; c < shape.c(); c++) {
                for (int y = 0; y < shape.h(); y++) {
                    for (int i = layout.offset(n, c, y, 0), x0 = 0; x0 < shape.w(); x0++, i += layout.pointStride()) {
                        float drawn = (float) random.nextDouble();
                        m.put(i, drawn);
                        x.put(i, drawn < probability ? 0 : x.get(i) * scale);
                    }
                }
            }
        }
    }

    void backward(ActivationTensor mask, float probability, ActivationTensor delta) {
        ActivationTensor.sharedLayout(mask, delta);
        float scale = keptScale(probability);
        FloatBuffer m = mask.values();
        FloatBuffer d = delta.values();
        threads.split(d.limit(), (part, from, to) -> {
            for (int i = from; i < to; i++) {
                d.put(i, m.get(i) < probability ? 0 : d.get(i) * scale);
            }
        });
    }

    /** What kept values are multiplied by, {@code 1/(1-probability)}, rounded as darknet does. */
    private static float keptScale(float probability) {
        return (float) (1. / (1. - probability));
    }
}
