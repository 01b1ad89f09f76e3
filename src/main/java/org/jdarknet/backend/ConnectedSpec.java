package org.jdarknet.backend;

/**
 * The geometry of a fully connected layer: each item of {@code input} (read as
 * {@code input.itemSize()} values) gives {@code outputs} values.
 */
public record ConnectedSpec(Shape input, int outputs) {

    public ConnectedSpec {
        if (outputs < 1) {
            throw new IllegalArgumentException("a connected layer needs at least 1 output, not " + outputs);
        }
    }

    public int inputs() {
        return input.itemSize();
    }

    public Shape output() {
        return new Shape(input.n(), outputs, 1, 1);
    }

    /** Shape of the weights: outputs × inputs, darknet's file order. */
    public Shape weights() {
        return new Shape(outputs, inputs(), 1, 1);
    }

    /** Floating-point operations per image, counted as darknet counts them (2 per multiply-add). */
    public long flops() {
        return 2L * inputs() * outputs;
    }
}
