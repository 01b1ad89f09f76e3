package org.jdarknet.layers;

import java.util.ArrayList;
import java.util.List;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.Shape;
import org.jdarknet.backend.Tensor;

/**
 * The bookkeeping every layer shares: position, shapes, its output (and, for training, its delta)
 * and the release of everything it allocated.
 */
abstract class AbstractLayer implements Layer {
    protected final Backend backend;
    private final int index;
    private final Shape inputShape;
    private final Shape outputShape;
    private final LayerOptions options;
    private final Tensor output;
    private final Tensor delta;
    private final List<Tensor> owned = new ArrayList<>();

    /** A layer with its own output tensor of {@code outputShape} (and delta, when training). */
    protected AbstractLayer(BuildContext context, Shape outputShape, LayerOptions options) {
        this.backend = context.backend();
        this.index = context.index();
        this.inputShape = context.input();
        this.outputShape = outputShape;
        this.options = options;
        this.output = outputTensor(context, outputShape);
        this.delta = own(context.trainingTensor(outputShape));
    }

    /**
     * A layer whose output has its input's shape and, when {@code shared} is given, is that layer's
     * output (dropout at inference, as in darknet); otherwise it has its own.
     */
    protected AbstractLayer(BuildContext context, LayerOptions options, Layer shared) {
        this.backend = context.backend();
        this.index = context.index();
        this.inputShape = context.input();
        this.outputShape = context.input();
        this.options = options;
        this.output = shared != null ? shared.output() : outputTensor(context, outputShape);
        this.delta = shared != null ? shared.delta() : own(context.trainingTensor(outputShape));
    }

    /** The tensor the network placed this layer's output in (a channel range of a route's), else a new one of its own. */
    private Tensor outputTensor(BuildContext context, Shape shape) {
        Tensor placed = context.placement().output(index);
        return placed != null ? placed : own(backend.allocate(shape));
    }

    /** Registers a tensor this layer allocated, to be released with it; returns it (null passes through). */
    protected final Tensor own(Tensor tensor) {
        if (tensor != null) {
            owned.add(tensor);
        }
        return tensor;
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public Shape inputShape() {
        return inputShape;
    }

    @Override
    public Shape outputShape() {
        return outputShape;
    }

    @Override
    public Tensor output() {
        return output;
    }

    @Override
    public Tensor delta() {
        return delta;
    }

    @Override
    public LayerOptions options() {
        return options;
    }

    @Override
    public void close() {
        owned.forEach(Tensor::close);
        for (Parameter parameter : parameters()) {
            parameter.value().close();
            if (parameter.gradient() != null) {
                parameter.gradient().close();
            }
        }
    }

    /** Darknet prints an image shape as {@code w x h x c}. */
    protected static String whc(Shape shape) {
        return String.format("%4d x%4d x%4d", shape.w(), shape.h(), shape.c());
    }
}
