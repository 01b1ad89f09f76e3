package org.jdarknet.backend.cpu;

import java.nio.FloatBuffer;
import org.jdarknet.backend.DropoutStream;
import org.jdarknet.backend.Shape;

/**
 * Training-time dropout with the draws of {@link DropoutStream}, a function of the seed and each
 * value's logical NCHW index, so that both backends drop the same values for the same seed.
 * Forward runs plane by plane, backward in memory order, both in parallel: padding lanes of the
 * mask are zero, which zeroes (or keeps at zero) the delta's padding.
 */
record Dropout(JavaThreads threads) {

    void forward(ActivationTensor tensor, ActivationTensor mask, float probability, long seed) {
        Layout layout = ActivationTensor.sharedLayout(tensor, mask);
        float scale = DropoutStream.keptScale(probability);
        FloatBuffer x = tensor.values();
        FloatBuffer m = mask.values();
        Shape shape = layout.shape();
        threads.split(shape.n() * shape.c(), (part, from, to) -> {
            for (int plane = from; plane < to; plane++) {
                int n = plane / shape.c();
                int c = plane % shape.c();
                long logical = (long) plane * shape.h() * shape.w();
                for (int y = 0; y < shape.h(); y++) {
                    for (int i = layout.offset(n, c, y, 0), x0 = 0; x0 < shape.w(); x0++, i += layout.pointStride()) {
                        float drawn = DropoutStream.uniform(seed, logical++);
                        m.put(i, drawn);
                        x.put(i, DropoutStream.dropped(drawn, probability) ? 0 : x.get(i) * scale);
                    }
                }
            }
        });
    }

    void backward(ActivationTensor mask, float probability, ActivationTensor delta) {
        ActivationTensor.sharedLayout(mask, delta);
        float scale = DropoutStream.keptScale(probability);
        FloatBuffer m = mask.values();
        FloatBuffer d = delta.values();
        threads.split(d.limit(), (part, from, to) -> {
            for (int i = from; i < to; i++) {
                d.put(i, DropoutStream.dropped(m.get(i), probability) ? 0 : d.get(i) * scale);
            }
        });
    }
}
