package org.jdarknet.layers;

import org.jdarknet.backend.Backend;
import org.jdarknet.backend.Shape;
import org.jdarknet.backend.Tensor;

/** The bookkeeping every layer shares: position, shapes, its output tensor and its parameters. */
abstract class AbstractLayer implements Layer {
    protected final Backend backend;
    private final int index;
    private final Shape inputShape;
    private final Shape outputShape;
    private final LayerOptions options;
    private final Tensor output;

    /** A layer with its own output tensor of {@code outputShape}. */
    protected AbstractLayer(BuildContext context, Shape outputShape, LayerOptions options) {
        this(context, outputShape, options, context.backend().allocate(outputShape));
    }

    /** A layer whose output is a tensor it does not own (dropout at inference reuses its input). */
    protected AbstractLayer(BuildContext context, Shape outputShape, LayerOptions options, Tensor output) {
        this.backend = context.backend();
        this.index = context.index();
        this.inputShape = context.input();
        this.outputShape = outputShape;
        this.options = options;
        this.output = output;
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
    public LayerOptions options() {
        return options;
    }

    /** True when this layer allocated its output (and must release it). */
    protected boolean ownsOutput() {
        return true;
    }

    @Override
    public void close() {
        if (ownsOutput()) {
            output.close();
        }
        for (Parameter parameter : parameters()) {
            parameter.value().close();
        }
    }

    /** Darknet prints an image shape as {@code w x h x c}. */
    protected static String whc(Shape shape) {
        return String.format("%4d x%4d x%4d", shape.w(), shape.h(), shape.c());
    }

}
