package org.jdarknet.backend;

/**
 * The geometry of a 2-D convolution as darknet defines it: zero padding of {@code padding} cells on
 * every side, square kernel, channels split into {@code groups} independent groups.
 * {@code out = (in + 2*padding - size)/stride + 1}.
 *
 * @param inputRange the largest |input| a calibration saw, for {@link Precision#INT8}; NaN when
 *                   this convolution is not to be quantised (no calibration, or a layer kept in
 *                   higher precision on purpose). Backends computing in another precision ignore it.
 */
public record ConvolutionSpec(Shape input, int filters, int size, int stride, int padding, int groups,
                              float inputRange) {

    /** A convolution with no calibrated input range. */
    public ConvolutionSpec(Shape input, int filters, int size, int stride, int padding, int groups) {
        this(input, filters, size, stride, padding, groups, Float.NaN);
    }

    public ConvolutionSpec {
        if (filters < 1 || size < 1 || stride < 1 || padding < 0 || groups < 1) {
            throw new IllegalArgumentException("invalid convolution: filters=" + filters + " size=" + size
                    + " stride=" + stride + " padding=" + padding + " groups=" + groups);
        }
        if (input.c() % groups != 0 || filters % groups != 0) {
            throw new IllegalArgumentException("groups=" + groups + " must divide both the " + input.c()
                    + " input channels and the " + filters + " filters");
        }
    }

    public int outputHeight() {
        return (input.h() + 2 * padding - size) / stride + 1;
    }

    public int outputWidth() {
        return (input.w() + 2 * padding - size) / stride + 1;
    }

    public Shape output() {
        return new Shape(input.n(), filters, outputHeight(), outputWidth());
    }

    /** Shape of the weights: filters × channels-per-group × size × size, darknet's file order. */
    public Shape weights() {
        return new Shape(filters, input.c() / groups, size, size);
    }

    /** Floating-point operations per image, counted as darknet counts them (2 per multiply-add). */
    public long flops() {
        return 2L * filters * size * size * (input.c() / groups) * outputHeight() * outputWidth();
    }

    public ConvolutionSpec withBatch(int batch) {
        return new ConvolutionSpec(input.withBatch(batch), filters, size, stride, padding, groups, inputRange);
    }

    /** This convolution with its input calibrated to {@code range} (largest |x|; NaN: none). */
    public ConvolutionSpec withInputRange(float range) {
        return new ConvolutionSpec(input, filters, size, stride, padding, groups, range);
    }

    /** Whether a calibration gave this convolution an input range, so that int8 may quantise it. */
    public boolean calibrated() {
        return !Float.isNaN(inputRange);
    }
}
