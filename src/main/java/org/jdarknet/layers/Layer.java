package org.jdarknet.layers;

import java.util.List;
import org.jdarknet.backend.Shape;
import org.jdarknet.backend.Tensor;

/**
 * One darknet layer: it reads the previous layer's output (and, for routes and shortcuts, earlier
 * layers' outputs) and computes its own through backend operations. Layers never see raw floats.
 */
public interface Layer extends AutoCloseable {

    /** Darknet's short name for the layer type as its layer table prints it: conv, max, avg, res, ... */
    String kind();

    /** Position in the network, counted from 0 after {@code [net]}, as darknet numbers layers. */
    int index();

    Shape inputShape();

    Shape outputShape();

    /** The layer's output after {@link #forward}. */
    Tensor output();

    /**
     * Whether {@link #output()} holds the next layer's output instead of this one's after a pass:
     * a convolution that computes the {@code [shortcut]} after it ({@link ShortcutFusion}), the two
     * sharing one tensor. Comparisons of every layer's output skip such a layer (the shortcut's,
     * the same tensor, is compared).
     */
    default boolean outputIsNextLayers() {
        return false;
    }

    /** Computes {@link #output()} from {@code input}, the previous layer's output (or the image). */
    void forward(Tensor input);

    /**
     * Minus the loss gradient with respect to {@link #output()}, filled by the layers above during
     * backward; null unless the network was built for training.
     */
    Tensor delta();

    /** Forward while training: batch statistics, dropout, random crops; keeps what backward needs. */
    default void forwardTraining(Tensor input, TrainingPass pass) {
        forward(input);
    }

    /**
     * Back through this layer: accumulates its parameters' gradients from {@link #delta()} and adds
     * the delta with respect to {@code input} to {@code inputDelta} (null when nothing below needs it).
     */
    void backward(Tensor input, Tensor inputDelta);

    /** Learned values in darknet's weights-file order; empty for layers without any. */
    default List<Parameter> parameters() {
        return List.of();
    }

    /** Floating-point operations per image, as darknet counts them. */
    default long flops() {
        return 0;
    }

    /** The row describing this layer in darknet's layer table, without the index. */
    String summary();

    /** What the weights file holds for this layer ({@code dontload}, {@code dontloadscales}, ...). */
    LayerOptions options();

    @Override
    void close();
}
