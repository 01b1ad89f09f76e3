package org.jdarknet.net;

import java.nio.FloatBuffer;
import org.jdarknet.backend.Activation;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.BatchNormTraining;
import org.jdarknet.backend.Connected;
import org.jdarknet.backend.ConnectedSpec;
import org.jdarknet.backend.Convolution;
import org.jdarknet.backend.ConvolutionSpec;
import org.jdarknet.backend.CostFunction;
import org.jdarknet.backend.Epilogue;
import org.jdarknet.backend.PoolSpec;
import org.jdarknet.backend.Shape;
import org.jdarknet.backend.Tensor;

/**
 * A backend that allocates nothing and counts what a network built on it would allocate:
 * parameter and activation bytes, and each convolution's im2col workspace (darknet's
 * {@code workspace_size}; the reference backend keeps one per convolution). Building the layers on
 * it gives a network's needs from its cfg with the layers' own shape arithmetic. Storing values
 * does nothing, as nothing is stored; computing ones are never called while layers are built,
 * and fail if they are.
 *
 * <p>A plain class rather than a {@link java.lang.reflect.Proxy}, which would answer whatever
 * the interface gains by itself: generating the proxy class of an interface this large took
 * 12-17 ms of every one-image {@code classify} (docs/benchmarks.md).
 */
final class MeasuringBackend implements Backend {
    private long parameterBytes;
    private long activationBytes;
    private long workspaceBytes;

    /** A tensor asked for that no backend can hold: more values than an int counts. */
    static final class TensorTooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final Shape shape;
        final long values;

        TensorTooLarge(Shape shape, long values) {
            super(shape + " is " + values + " values");
            this.shape = shape;
            this.values = values;
        }
    }

    long parameterBytes() {
        return parameterBytes;
    }

    long activationBytes() {
        return activationBytes;
    }

    long workspaceBytes() {
        return workspaceBytes;
    }

    long totalBytes() {
        return parameterBytes + activationBytes + workspaceBytes;
    }

    @Override
    public String name() {
        return "measuring";
    }

    @Override
    public String description() {
        return "measuring";
    }

    @Override
    public Tensor allocate(Shape shape) {
        activationBytes += bytes(shape);
        return new Measured(shape);
    }

    @Override
    public Tensor allocateParameter(Shape shape) {
        parameterBytes += bytes(shape);
        return new Measured(shape);
    }

    @Override
    public Convolution convolution(ConvolutionSpec spec) {
        workspaceBytes += 4L * spec.weights().itemSize() * spec.outputHeight() * spec.outputWidth();
        return new UnrunConvolution(spec);
    }

    @Override
    public Connected connected(ConnectedSpec spec) {
        return new UnrunConnected(spec);
    }

    @Override
    public void upload(FloatBuffer values, Tensor tensor) {
    }

    @Override
    public void fill(Tensor tensor, float value) {
    }

    @Override
    public void copy(Tensor source, Tensor destination) {
    }

    @Override
    public float[] download(Tensor tensor) {
        throw unsupported("download");
    }

    @Override
    public void apply(Epilogue epilogue, Tensor tensor) {
        throw unsupported("apply");
    }

    @Override
    public void maxPool(PoolSpec spec, Tensor input, Tensor output) {
        throw unsupported("maxPool");
    }

    @Override
    public void averagePool(Tensor input, Tensor output) {
        throw unsupported("averagePool");
    }

    @Override
    public void shortcut(Tensor from, float alpha, float beta, Tensor output) {
        throw unsupported("shortcut");
    }

    @Override
    public void copyChannels(Tensor source, Tensor destination, int offset) {
        throw unsupported("copyChannels");
    }

    @Override
    public void softmax(Tensor input, int groups, float temperature, Tensor output) {
        throw unsupported("softmax");
    }

    @Override
    public void crop(Tensor input, int top, int left, boolean flip, float scale, float shift, Tensor output) {
        throw unsupported("crop");
    }

    @Override
    public void batchNormForward(BatchNormTraining state, Tensor x) {
        throw unsupported("batchNormForward");
    }

    @Override
    public void batchNormBackward(BatchNormTraining state, Tensor delta) {
        throw unsupported("batchNormBackward");
    }

    @Override
    public void biasGradient(Tensor delta, Tensor biasGradient) {
        throw unsupported("biasGradient");
    }

    @Override
    public void activationGradient(Activation activation, Tensor x, Tensor y, Tensor delta) {
        throw unsupported("activationGradient");
    }

    @Override
    public void maxPoolBackward(PoolSpec spec, Tensor input, Tensor delta, Tensor inputDelta) {
        throw unsupported("maxPoolBackward");
    }

    @Override
    public void averagePoolBackward(Tensor delta, Tensor inputDelta) {
        throw unsupported("averagePoolBackward");
    }

    @Override
    public void addChannels(Tensor source, int offset, Tensor destination) {
        throw unsupported("addChannels");
    }

    @Override
    public void axpy(float alpha, Tensor x, Tensor y) {
        throw unsupported("axpy");
    }

    @Override
    public void scale(Tensor x, float factor) {
        throw unsupported("scale");
    }

    @Override
    public float softmaxCrossEntropy(Tensor probabilities, Tensor truth, Tensor delta) {
        throw unsupported("softmaxCrossEntropy");
    }

    @Override
    public float cost(CostFunction function, Tensor prediction, Tensor truth, Tensor delta) {
        throw unsupported("cost");
    }

    @Override
    public void dropout(Tensor x, Tensor mask, float probability, long seed) {
        throw unsupported("dropout");
    }

    @Override
    public void dropoutBackward(Tensor mask, float probability, Tensor delta) {
        throw unsupported("dropoutBackward");
    }

    private static UnsupportedOperationException unsupported(String operation) {
        return new UnsupportedOperationException(operation + " called on a backend that only measures");
    }

    private static long bytes(Shape shape) {
        long values = (long) shape.n() * shape.c() * shape.h() * shape.w();
        if (values > Integer.MAX_VALUE) {
            throw new TensorTooLarge(shape, values);
        }
        return 4 * values;
    }

    private record Measured(Shape shape) implements Tensor {
        @Override
        public void close() {
        }
    }

    /** A convolution that has its spec and never runs. */
    private record UnrunConvolution(ConvolutionSpec spec) implements Convolution {
        @Override
        public void forward(Tensor input, Tensor weights, Epilogue epilogue, Tensor output) {
            throw unsupported("a measured convolution's forward");
        }

        @Override
        public void backward(Tensor input, Tensor weights, Tensor delta, Tensor weightGradient, Tensor inputDelta) {
            throw unsupported("a measured convolution's backward");
        }
    }

    /** A connected layer's operation that has its spec and never runs. */
    private record UnrunConnected(ConnectedSpec spec) implements Connected {
        @Override
        public void forward(Tensor input, Tensor weights, Epilogue epilogue, Tensor output) {
            throw unsupported("a measured connected layer's forward");
        }

        @Override
        public void backward(Tensor input, Tensor weights, Tensor delta, Tensor weightGradient, Tensor inputDelta) {
            throw unsupported("a measured connected layer's backward");
        }
    }
}
