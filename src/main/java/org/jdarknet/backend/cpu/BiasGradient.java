package org.jdarknet.backend.cpu;

import java.nio.FloatBuffer;
import org.jdarknet.backend.Shape;

/**
 * {@code Backend.biasGradient}, the sum of each channel's deltas: oneDNN's average pooling over
 * each channel plane (fast in every layout, where oneDNN's reduction over batch and plane is not),
 * then the planes' means times their size summed over the batch in Java.
 */
record BiasGradient(Dnnl dnnl, Pooling pooling) {

    /** The scratch tensor for the planes' means of deltas of one layout. */
    private record Key(Layout delta) {
    }

    void add(ActivationTensor delta, ParameterTensor gradient) {
        Shape shape = delta.shape();
        int points = shape.h() * shape.w();
        ActivationTensor planes = points == 1 ? delta : dnnl.cached(new Key(delta.layout()),
                () -> new ActivationTensor(new Layout(new Shape(shape.n(), shape.c(), 1, 1), delta.layout().format()), dnnl));
        if (planes != delta) {
            pooling.average(delta, planes);
        }
        Layout layout = planes.layout();
        FloatBuffer values = planes.values();
        gradient.write(sums -> {
            for (int c = 0; c < shape.c(); c++) {
                double sum = 0;
                for (int n = 0; n < shape.n(); n++) {
                    sum += values.get(layout.offset(n, c, 0, 0));
                }
                sums[c] += (float) (sum * points);
            }
        });
    }
}
