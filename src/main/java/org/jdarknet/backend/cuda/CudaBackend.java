package org.jdarknet.backend.cuda;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bytedeco.cuda.global.cublas;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.cuda.global.cudnn;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.jdarknet.Log;
import org.jdarknet.UsageException;
import org.jdarknet.backend.Activation;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.BatchNorm;
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
 * The CUDA backend: every tensor lives in the GPU's memory from the first layer to the last, and
 * only {@link #upload} and {@link #download} cross the bus, through a pinned buffer. All work is
 * queued on one stream: convolutions through cuDNN, connected layers through cuBLAS, everything
 * else through the project's own kernels (PTX shipped in the jar), written in the reference
 * backend's arithmetic. Memory is allocated when a tensor is created, never per batch. A
 * {@link #repeatable} pass (a network's inference) is captured once as a CUDA graph and then
 * replayed with one launch per call.
 * Use {@link #unavailableReason()} first to find out whether this machine can run it.
 */
public final class CudaBackend implements Backend {
    private final Gpu gpu;
    private final Transfers transfers;
    private final Kernels kernels;
    private final Cudnn dnn;
    private final Blas blas;
    private final Replays<StreamCapture.Graph> replays;
    private final Map<Integer, DeviceTensor> scratch = new HashMap<>();
    private final Set<String> notes = new HashSet<>();
    private final String versions;
    private DeviceTensor sum;

    /**
     * @param ordinal the GPU, as darknet's {@code -gpu N} numbers them
     * @throws UsageException when this machine cannot run the backend on that GPU
     */
    public CudaBackend(int ordinal) {
        Optional<String> problem = CudaAvailability.unavailableReason(ordinal);
        if (problem.isPresent()) {
            throw new UsageException("the cuda backend cannot run here: " + problem.get());
        }
        loadLibraries();
        gpu = new Gpu(ordinal);
        transfers = new Transfers(gpu);
        kernels = new Kernels(gpu);
        dnn = new Cudnn(gpu);
        blas = new Blas(gpu);
        replays = new Replays<>(new StreamCapture(gpu), this::note);
        // A graph holds the addresses it was captured with, and freed memory may come back for
        // other tensors. Memory is freed rarely (a network closed, the workspace grown), so every
        // free drops every graph rather than tracking which graph uses what.
        gpu.beforeFree(replays::invalidate);
        versions = "CUDA " + runtimeVersion() + ", cuDNN " + dnn.version();
        sum = DeviceTensor.of(allocate(Shape.vector(1)));
    }

    /** Why this machine cannot run the backend (no driver, no CUDA libraries, no GPU), or empty when it can. */
    public static Optional<String> unavailableReason() {
        return CudaAvailability.unavailableReason();
    }

    /** cuDNN and cuBLAS bind on first touch, like the runtime; a missing one is named, not a stack trace. */
    private static void loadLibraries() {
        try {
            Loader.load(cudnn.class);
            Loader.load(cublas.class);
        } catch (Throwable missing) { // UnsatisfiedLinkError, NoClassDefFoundError
            throw new UsageException("the cuda backend cannot run here: " + NativeProblem.describe(missing));
        }
    }

    private static String runtimeVersion() {
        int[] version = new int[1];
        Check.cuda(cudart.cudaRuntimeGetVersion(version), "cudaRuntimeGetVersion", null);
        return version[0] / 1000 + "." + version[0] % 1000 / 10;
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public String description() {
        return "cuda (" + gpu.name() + ", GPU " + gpu.ordinal() + ", " + versions + ")";
    }

    /** The thread that queues the kernels and waits for the GPU; the rest of the host is free. */
    @Override
    public int hostThreads() {
        return 1;
    }

    Gpu gpu() {
        return gpu;
    }

    @Override
    public Tensor allocate(Shape shape) {
        DeviceTensor tensor = new DeviceTensor(shape, this, gpu.allocate((long) shape.size() * Float.BYTES, "a " + shape + " tensor"));
        Check.cuda(cudart.cudaMemsetAsync(tensor.memory(), 0, tensor.bytes(), gpu.stream()), "cudaMemsetAsync", "zeroing a "
                + shape + " tensor");
        return tensor;
    }

    @Override
    public Tensor allocateParameter(Shape shape) {
        return allocate(shape);
    }

    /** Frees a tensor's memory once nothing queued can still use it; called by {@link DeviceTensor#close}. */
    void release(DeviceTensor tensor) {
        kernels.forget(tensor);
        gpu.free(tensor.memory()); // cudaFree waits for the work queued before it
    }

    /** Eagerly the first time for {@code key}, captured as a CUDA graph the second, replayed after; see {@link Replays}. */
    @Override
    public void repeatable(Object key, Runnable pass) {
        replays.run(key, pass);
    }

    /** Whether {@code key}'s repeatable passes are now replayed from a CUDA graph (for the GPU checks). */
    boolean isRecorded(Object key) {
        return replays.isRecorded(key);
    }

    @Override
    public void upload(FloatBuffer values, Tensor tensor) {
        transfers.upload(values, DeviceTensor.of(tensor));
    }

    @Override
    public float[] download(Tensor tensor) {
        return transfers.download(DeviceTensor.of(tensor));
    }

    @Override
    public void fill(Tensor tensor, float value) {
        int n = tensor.shape().size();
        kernels.run(Kernel.FILL, n, tensor, (long) n, value);
    }

    @Override
    public void copy(Tensor source, Tensor destination) {
        DeviceTensor from = DeviceTensor.of(source);
        DeviceTensor to = DeviceTensor.of(destination);
        if (from.shape().size() != to.shape().size()) {
            throw new IllegalArgumentException("copy between " + source.shape() + " and " + destination.shape());
        }
        gpu.bind();
        Check.cuda(cudart.cudaMemcpyAsync(to.memory(), from.memory(), from.bytes(), cudart.cudaMemcpyDeviceToDevice, gpu.stream()),
                "cudaMemcpyAsync(device to device)", "copying " + source.shape());
    }

    @Override
    public Convolution convolution(ConvolutionSpec spec) {
        return new CudnnConvolution(spec, dnn, this);
    }

    @Override
    public Connected connected(ConnectedSpec spec) {
        return new CublasConnected(spec, blas, this);
    }

    @Override
    public void apply(Epilogue epilogue, Tensor tensor) {
        applyEpilogue(epilogue, DeviceTensor.of(tensor));
    }

    /**
     * Batch norm, bias and activation in one pass over {@code x}, per channel of its shape; then
     * the residual, if any, as this backend's shortcut and activation.
     */
    void applyEpilogue(Epilogue epilogue, DeviceTensor x) {
        activateEpilogue(epilogue.withoutResidual(), x);
        epilogue.composeResidual(this, x);
    }

    private void activateEpilogue(Epilogue epilogue, DeviceTensor x) {
        if (epilogue.isIdentity()) {
            return;
        }
        Shape shape = x.shape();
        int n = shape.size();
        BatchNorm norm = epilogue.batchNorm();
        kernels.run(Kernel.EPILOGUE, n, x, (long) n, shape.c(), shape.h() * shape.w(),
                norm == null ? null : norm.scales(), norm == null ? null : norm.mean(), norm == null ? null : norm.variance(),
                norm == null ? 0 : norm.style().ordinal(), epilogue.biases(), epilogue.activation().ordinal());
    }

    @Override
    public void maxPool(PoolSpec spec, Tensor input, Tensor output) {
        Shape in = spec.input();
        long planes = (long) in.n() * in.c();
        kernels.run(Kernel.MAXPOOL_FORWARD, planes * spec.outputHeight() * spec.outputWidth(), input, output, planes, in.h(), in.w(),
                spec.outputHeight(), spec.outputWidth(), spec.size(), spec.stride(), spec.offset());
    }

    @Override
    public void averagePool(Tensor input, Tensor output) {
        Shape in = input.shape();
        long planes = (long) in.n() * in.c();
        kernels.run(Kernel.AVGPOOL_FORWARD, planes, input, output, planes, in.h() * in.w());
    }

    @Override
    public void shortcut(Tensor from, float alpha, float beta, Tensor output) {
        Shape f = from.shape();
        Shape o = output.shape();
        long items = (long) o.n() * Math.min(f.c(), o.c()) * Math.min(f.h(), o.h()) * Math.min(f.w(), o.w());
        kernels.run(Kernel.SHORTCUT, items, from, output, o.n(), f.c(), f.h(), f.w(), o.c(), o.h(), o.w(), alpha, beta);
    }

    /** A route: one strided copy, each item of {@code source} to its place in the item of {@code destination}. */
    @Override
    public void copyChannels(Tensor source, Tensor destination, int offset) {
        DeviceTensor from = DeviceTensor.of(source);
        DeviceTensor to = DeviceTensor.of(destination);
        Shape s = from.shape();
        Shape d = to.shape();
        if (s.n() != d.n() || s.h() != d.h() || s.w() != d.w() || offset + s.c() > d.c()) {
            throw new IllegalArgumentException("route of " + s + " into " + d + " at channel " + offset);
        }
        long sourceItem = (long) s.itemSize() * Float.BYTES;
        long destinationItem = (long) d.itemSize() * Float.BYTES;
        FloatPointer target = new FloatPointer(to.memory()).position((long) offset * d.h() * d.w());
        gpu.bind();
        Check.cuda(cudart.cudaMemcpy2DAsync(target, destinationItem, from.memory(), sourceItem, sourceItem, s.n(),
                cudart.cudaMemcpyDeviceToDevice, gpu.stream()), "cudaMemcpy2DAsync", "route of " + s + " into " + d);
    }

    @Override
    public void softmax(Tensor input, int groups, float temperature, Tensor output) {
        Shape shape = input.shape();
        long allGroups = (long) shape.n() * groups;
        kernels.run(Kernel.SOFTMAX, allGroups, input, output, allGroups, shape.itemSize() / groups, temperature);
    }

    @Override
    public void crop(Tensor input, int top, int left, boolean flip, float scale, float shift, Tensor output) {
        Shape in = input.shape();
        Shape out = output.shape();
        long planes = (long) out.n() * out.c();
        kernels.run(Kernel.CROP, planes * out.h() * out.w(), input, output, planes, in.h(), in.w(), out.h(), out.w(), top, left,
                flip ? 1 : 0, scale, shift);
    }

    @Override
    public void batchNormForward(BatchNormTraining state, Tensor x) {
        Shape shape = x.shape();
        int spatial = shape.h() * shape.w();
        long n = shape.size();
        if (Chunking.parallel(shape.n(), spatial)) {
            Chunking chunking = new Chunking((long) shape.n() * shape.c(), spatial);
            DeviceTensor partials = scratch(chunking.scratchFloats());
            kernels.run(Kernel.CHUNK_SUMS, chunking.chunkItems(), x, null, partials, chunking.planes(), shape.c(), spatial,
                    Chunking.CHUNK);
            kernels.run(Kernel.BATCHNORM_MEAN_FROM_PARTIALS, shape.c(), partials, state.mean(), shape.n(), shape.c(), spatial,
                    Chunking.CHUNK);
            kernels.run(Kernel.CHUNK_SUMS, chunking.chunkItems(), x, state.mean(), partials, chunking.planes(), shape.c(),
                    spatial, Chunking.CHUNK);
            kernels.run(Kernel.BATCHNORM_VARIANCE_FROM_PARTIALS, shape.c(), partials, state.mean(), state.variance(),
                    state.rollingMean(), state.rollingVariance(), shape.n(), shape.c(), spatial, Chunking.CHUNK);
        } else {
            kernels.run(Kernel.BATCHNORM_STATISTICS, shape.c(), x, state.mean(), state.variance(), state.rollingMean(),
                    state.rollingVariance(), shape.n(), shape.c(), spatial);
        }
        kernels.run(Kernel.BATCHNORM_NORMALIZE, n, x, state.input(), state.normalized(), state.mean(), state.variance(),
                state.scales(), n, shape.c(), spatial, state.style().ordinal());
    }

    @Override
    public void batchNormBackward(BatchNormTraining state, Tensor delta) {
        Shape shape = delta.shape();
        int spatial = shape.h() * shape.w();
        long n = shape.size();
        int style = state.style().ordinal();
        if (Chunking.parallel(shape.n(), spatial)) {
            Chunking chunking = new Chunking((long) shape.n() * shape.c(), spatial);
            DeviceTensor partials = scratch(chunking.scratchFloats());
            kernels.run(Kernel.BATCHNORM_BACKWARD_PARTIALS, chunking.chunkItems(), delta, state.normalized(), state.input(),
                    state.mean(), partials, chunking.planes(), shape.c(), spatial, Chunking.CHUNK);
            kernels.run(Kernel.BATCHNORM_BACKWARD_FROM_PARTIALS, shape.c(), partials, state.scales(), state.variance(),
                    state.scaleGradient(), state.meanDelta(), state.varianceDelta(), shape.n(), shape.c(), spatial,
                    Chunking.CHUNK, style);
        } else {
            kernels.run(Kernel.BATCHNORM_BACKWARD_SUMS, shape.c(), delta, state.normalized(), state.input(), state.scales(),
                    state.mean(), state.variance(), state.scaleGradient(), state.meanDelta(), state.varianceDelta(), shape.n(),
                    shape.c(), spatial, style);
        }
        kernels.run(Kernel.BATCHNORM_BACKWARD_DELTA, n, delta, state.input(), state.scales(), state.mean(), state.variance(),
                state.meanDelta(), state.varianceDelta(), n, shape.n(), shape.c(), spatial, style);
    }

    /**
     * In two passes, each parallel and together bit-equal to the reference's order: every plane's
     * sum (one thread per item and channel), then every channel's sum over the items.
     */
    @Override
    public void biasGradient(Tensor delta, Tensor biasGradient) {
        Shape shape = delta.shape();
        long planes = (long) shape.n() * shape.c();
        DeviceTensor planeSums = scratch(Math.toIntExact(planes));
        kernels.run(Kernel.SEGMENT_SUMS, planes, delta, planeSums, planes, (long) shape.h() * shape.w());
        kernels.run(Kernel.BIAS_GRADIENT, shape.c(), planeSums, biasGradient, shape.n(), shape.c(), 1);
    }

    @Override
    public void activationGradient(Activation activation, Tensor x, Tensor y, Tensor delta) {
        long n = delta.shape().size();
        kernels.run(Kernel.ACTIVATION_GRADIENT, n, x, y, delta, n, activation.ordinal());
    }

    @Override
    public void maxPoolBackward(PoolSpec spec, Tensor input, Tensor delta, Tensor inputDelta) {
        Shape in = spec.input();
        long planes = (long) in.n() * in.c();
        kernels.run(Kernel.MAXPOOL_BACKWARD, planes * in.h() * in.w(), input, delta, inputDelta, planes, in.h(), in.w(),
                spec.outputHeight(), spec.outputWidth(), spec.size(), spec.stride(), spec.offset());
    }

    @Override
    public void averagePoolBackward(Tensor delta, Tensor inputDelta) {
        Shape in = inputDelta.shape();
        long planes = (long) in.n() * in.c();
        int spatial = in.h() * in.w();
        kernels.run(Kernel.AVGPOOL_BACKWARD, planes * spatial, delta, inputDelta, planes, spatial);
    }

    @Override
    public void addChannels(Tensor source, int offset, Tensor destination) {
        Shape s = source.shape();
        Shape d = destination.shape();
        kernels.run(Kernel.ADD_CHANNELS, (long) d.size(), source, destination, d.n(), (long) s.itemSize(), (long) d.itemSize(),
                (long) offset * s.h() * s.w());
    }

    @Override
    public void axpy(float alpha, Tensor x, Tensor y) {
        long n = y.shape().size();
        kernels.run(Kernel.AXPY, n, x, y, n, alpha);
    }

    @Override
    public void scale(Tensor x, float factor) {
        long n = x.shape().size();
        kernels.run(Kernel.SCALE, n, x, n, factor);
    }

    @Override
    public float softmaxCrossEntropy(Tensor probabilities, Tensor truth, Tensor delta) {
        long n = delta.shape().size();
        DeviceTensor losses = scratch(delta.shape().size());
        kernels.run(Kernel.SOFTMAX_CROSS_ENTROPY, n, probabilities, truth, delta, losses, n);
        return total(losses, n);
    }

    @Override
    public float cost(CostFunction function, Tensor prediction, Tensor truth, Tensor delta) {
        long n = delta.shape().size();
        DeviceTensor errors = scratch(delta.shape().size());
        kernels.run(Kernel.COST, n, prediction, truth, delta, errors, n, function.ordinal());
        return total(errors, n);
    }

    /** The sum of the first {@code n} values, in order from the first (the reference's float loop), on the host. */
    private float total(DeviceTensor values, long n) {
        kernels.run(Kernel.SEGMENT_SUMS, 1, values, sum, 1L, n);
        return transfers.download(sum)[0];
    }

    /**
     * A buffer of {@code size} floats for intermediate values (per-value losses, plane sums), kept
     * for the next batch. Ops sharing one run one after the other on the stream, and none needs
     * its contents afterwards.
     */
    private DeviceTensor scratch(int size) {
        return scratch.computeIfAbsent(size, count -> DeviceTensor.of(allocate(Shape.vector(count))));
    }

    @Override
    public void dropout(Tensor x, Tensor mask, float probability, long seed) {
        long n = x.shape().size();
        kernels.run(Kernel.DROPOUT_FORWARD, n, x, mask, n, probability, seed);
    }

    @Override
    public void dropoutBackward(Tensor mask, float probability, Tensor delta) {
        long n = delta.shape().size();
        kernels.run(Kernel.DROPOUT_BACKWARD, n, mask, delta, n, probability);
    }

    @Override
    public void synchronize() {
        gpu.synchronize("waiting for the GPU");
    }

    /** Says once, with {@code --verbose}, what was decided (the cuDNN algorithms for a shape, a pass not captured). */
    void note(String note) {
        if (Log.verbose() && notes.add(note)) {
            Log.detail("cuda: " + note);
        }
    }

    @Override
    public void close() {
        synchronize();
        replays.close();
        scratch.values().forEach(DeviceTensor::close);
        scratch.clear();
        sum.close();
        blas.close();
        dnn.close();
        kernels.close();
        transfers.close();
        gpu.close();
    }
}
