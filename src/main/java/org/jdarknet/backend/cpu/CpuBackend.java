package org.jdarknet.backend.cpu;

import java.nio.FloatBuffer;
import java.util.Optional;
import org.jdarknet.Log;
import org.jdarknet.UsageException;
import org.jdarknet.backend.Activation;
import org.jdarknet.backend.BatchNormTraining;
import org.jdarknet.backend.Connected;
import org.jdarknet.backend.ConnectedSpec;
import org.jdarknet.backend.Convolution;
import org.jdarknet.backend.ConvolutionSpec;
import org.jdarknet.backend.Epilogue;
import org.jdarknet.backend.NetworkTraits;
import org.jdarknet.backend.PoolSpec;
import org.jdarknet.backend.Precision;
import org.jdarknet.backend.ReferenceFallback;
import org.jdarknet.backend.Shape;
import org.jdarknet.backend.Tensor;

/**
 * The fast CPU backend: oneDNN primitives on activations kept, from the first layer to the last,
 * in one layout per network, converted only by {@link #upload} and {@link #download}: the layout
 * oneDNN prefers for a typical convolution on this CPU ({@link ActivationFormat}: so far
 * {@code nhwc} on both AVX-512 and AVX2 machines, a blocked {@code nChw8c} where oneDNN asks for
 * none we handle), or, for a network made mostly of route concatenations, one in which oneDNN
 * convolves channel views with optimised kernels where the preferred one has none
 * ({@link NetworkLayout}, told of the network by {@link #prepare}). Batch normalisation, bias and activation are fused into each convolution.
 * Parameters stay in Java arrays in darknet's order; convolutions keep folded, reordered copies.
 *
 * <p>Training runs on oneDNN too: backward primitives for convolutions and connected layers, its
 * batch normalisation (set up to compute darknet's formulas), eltwise backward for the common
 * activations, pooling for bias gradients. Max-pooling backward, dropout and the rest are Java
 * passes over the same layouts, shared out between as many Java threads as oneDNN uses
 * ({@link JavaThreads}). Parameters count their changes, so that an update by the solver
 * rebuilds the folded copies that inference uses. Softmax runs on oneDNN where its tensors are in
 * darknet's flat order and no temperature divides them ({@link Softmax}); other softmaxes, the
 * losses, crop and unusual pooling windows run on the reference backend, as
 * {@link ReferenceFallback} does them.
 *
 * <p>In {@link Precision#BF16} convolutions multiply bf16 weights by their input rounded to bf16
 * ({@link Bf16Input}) and sum in fp32, where the CPU has bf16 instructions (elsewhere they compute
 * fp32, as the backend warns); connected layers compute fp32. In {@link Precision#INT8}
 * convolutions with a calibrated input range compute on 8-bit integers ({@link Int8Convolution}),
 * with activations in the layout oneDNN's int8 kernels write; the others, the connected layers and
 * everything else compute in fp32. Activations stay
 * fp32 in memory in every precision, but the hand-offs: in int8 the outputs only such
 * convolutions read, directly or through max-pools and route copies ({@link #allocateQuantised}),
 * in bf16 the tensors that only convolutions and max-pools write and read, route concatenations
 * among them ({@link #allocateRounded}). Training refuses any precision but fp32.
 *
 * <p>Creating the backend loads the native libraries (a noticeable part of a one-image classify; see
 * {@link #unavailableReason()} to find out first whether they load at all).
 */
public final class CpuBackend extends ReferenceFallback {
    private final Dnnl dnnl;
    private final Transfers transfers;
    private final EpilogueOp epilogues;
    private final Pooling pooling;
    private final Softmax softmax;
    private final Shortcut shortcut;
    private final ChannelCopy channels;
    private final JavaThreads javaThreads;
    private final Accumulate accumulate;
    private final TrainingBatchNorm batchNorm;
    private final BiasGradient biasGradients;
    private final ActivationGradient activationGradient;
    private final PoolingBackward poolingBackward;
    private final Dropout dropout;
    private final CpuTensor.Kernels kernels;
    private final ChannelViews views;
    /** Whether the creator chose the layout, which then holds for every network. */
    private final boolean formatGiven;

    /**
     * @param threads threads for oneDNN's pool, 0 for one per core
     * @throws UsageException when oneDNN's natives cannot be loaded here: this backend
     *                                  is the wrong choice for this machine
     */
    public CpuBackend(int threads) {
        this(threads, Precision.FP32);
    }

    /** A backend computing its convolutions and connected layers in {@code precision}. */
    public CpuBackend(int threads, Precision precision) {
        this(threads, null, precision);
    }

    /** A backend keeping activations in {@code format} (null: the fastest here, per network); tests use every layout. */
    CpuBackend(int threads, Layout.Format format) {
        this(threads, format, Precision.FP32);
    }

    CpuBackend(int threads, Layout.Format format, Precision precision) {
        if (threads < 0) {
            throw new UsageException("threads must be 0 (one per core) or positive, not " + threads);
        }
        long start = System.nanoTime();
        Natives.Status natives = Natives.load();
        if (!natives.loaded()) {
            throw new UsageException("the cpu backend cannot run here: " + natives.problem());
        }
        this.dnnl = new Dnnl(threads, format, precision);
        this.transfers = new Transfers(dnnl);
        this.epilogues = new EpilogueOp(dnnl);
        this.pooling = new Pooling(dnnl);
        this.softmax = new Softmax(dnnl);
        this.accumulate = new Accumulate(dnnl);
        this.shortcut = new Shortcut(accumulate);
        this.channels = new ChannelCopy(dnnl);
        this.javaThreads = new JavaThreads(dnnl.threads());
        this.batchNorm = new TrainingBatchNorm(dnnl, transfers);
        this.biasGradients = new BiasGradient(dnnl, pooling);
        this.activationGradient = new ActivationGradient(dnnl, javaThreads);
        this.poolingBackward = new PoolingBackward(javaThreads);
        this.dropout = new Dropout(javaThreads);
        this.kernels = new CpuTensor.Kernels(transfers, accumulate, epilogues);
        this.views = new ChannelViews(dnnl);
        this.formatGiven = format != null;
        Log.detail("cpu backend ready in " + Natives.millisSince(start) + " ms");
        notePrecision(precision);
    }

    /**
     * Says which precision runs on which instructions, and warns when bf16 cannot be had here
     * (int8 without VNNI warns when its first kernel is made: {@link CpuIsa#warnOfSlowInt8}).
     */
    private static void notePrecision(Precision precision) {
        Log.detail("cpu backend computes convolutions in " + precision.label() + " on " + CpuIsa.name()
                + (precision == Precision.INT8 ? (CpuIsa.hasVnni() ? " with" : " without")
                + " VNNI; connected layers and uncalibrated convolutions in fp32"
                : precision == Precision.BF16 ? "; connected layers in fp32" : ""));
        if (precision == Precision.BF16 && !CpuIsa.hasBf16()) {
            Log.warn("--precision bf16: this CPU (" + CpuIsa.name() + ") has no bf16 instructions, so oneDNN"
                    + " computes in fp32");
        }
    }

    /**
     * Starts loading the native libraries on a background thread; creating a backend waits for
     * them. {@code onlyOneDnnInProcess}: this process will bind no other JavaCPP preset (no CUDA),
     * so the binding classes initialised from then on need not have their libraries checked again.
     */
    public static void preload(boolean onlyOneDnnInProcess) {
        Natives.loadInBackground(onlyOneDnnInProcess);
    }

    /** Why the backend cannot be created in this process, or empty when it can; loads the natives to find out. */
    public static Optional<String> unavailableReason() {
        return Optional.ofNullable(Natives.load().problem());
    }

    @Override
    public Precision precision() {
        return dnnl.precision();
    }

    Layout.Format activationFormat() {
        return dnnl.activationFormat();
    }

    @Override
    public String name() {
        return "cpu";
    }

    /** Activations are oneDNN memory; only parameters are Java arrays. */
    @Override
    public boolean activationsInJavaHeap() {
        return false;
    }

    /** oneDNN's OpenMP threads. */
    @Override
    public int hostThreads() {
        return dnnl.threads();
    }

    @Override
    public String description() {
        return "cpu (oneDNN " + Natives.version() + ", " + dnnl.activationFormat() + " activations, "
                + dnnl.threads() + (dnnl.threads() == 1 ? " thread" : " threads")
                + (dnnl.precision() == Precision.FP32 ? "" : ", " + dnnl.precision().label()) + ")";
    }

    /** Chooses the network's activation layout, unless the creator chose one ({@link NetworkLayout}). */
    @Override
    public void prepare(NetworkTraits network) {
        if (formatGiven) {
            return;
        }
        NetworkLayout.Choice choice = NetworkLayout.choose(ActivationFormat.preferred(dnnl.precision()), network,
                views::optimisedInViews);
        dnnl.useActivationFormat(choice.format());
        Log.detail("cpu backend keeps this network's activations in " + choice.format() + ": " + choice.reason());
    }

    @Override
    public Tensor allocate(Shape shape) {
        return new ActivationTensor(dnnl.layout(shape), dnnl);
    }

    /**
     * In int8, signed bytes for the int8 convolutions, max-pools and route copies writing and
     * reading it ({@link Int8Convolution}, {@link ChannelCopy}); a tensor of floats in a blocked
     * layout, where a route could copy channels that are not whole blocks (a Java loop over floats)
     * and oneDNN's int8 convolutions are reference loops anyway.
     */
    @Override
    public Tensor allocateQuantised(Shape shape, float range) {
        Layout layout = dnnl.layout(shape);
        return dnnl.precision() == Precision.INT8 && layout.block() == 1 && ActivationTensor.narrowable(layout)
                ? ActivationTensor.quantised(layout, range, dnnl) : allocate(shape);
    }

    /**
     * In bf16, on a CPU with bf16 instructions, bf16 values for the convolutions and max-pools
     * writing and reading it; a tensor of floats where it would have padding lanes. That never
     * leaves a max-pool between a bf16 tensor and a float one: both have its channel count, and a
     * view (of a bf16 buffer) is offered only in whole blocks, so both are padded alike.
     */
    @Override
    public Tensor allocateRounded(Shape shape) {
        Layout layout = dnnl.layout(shape);
        return dnnl.bf16Products() && ActivationTensor.narrowable(layout) ? ActivationTensor.rounded(layout, dnnl)
                : allocate(shape);
    }

    @Override
    public Tensor allocateParameter(Shape shape) {
        return new ParameterTensor(shape);
    }

    @Override
    public void upload(FloatBuffer values, Tensor tensor) {
        CpuTensor.of(tensor).upload(values, kernels);
    }

    @Override
    public float[] download(Tensor tensor) {
        return CpuTensor.of(tensor).download(kernels);
    }

    @Override
    public void fill(Tensor tensor, float value) {
        CpuTensor.of(tensor).fill(value, kernels);
    }

    @Override
    public void copy(Tensor source, Tensor destination) {
        CpuTensor.of(source).copyTo(CpuTensor.of(destination), kernels);
    }

    @Override
    public Convolution convolution(ConvolutionSpec spec) {
        return new CpuConvolution(spec, dnnl, accumulate, this);
    }

    @Override
    public Connected connected(ConnectedSpec spec) {
        return new CpuConnected(spec, dnnl, accumulate, this);
    }

    @Override
    public void apply(Epilogue epilogue, Tensor tensor) {
        epilogues.apply(epilogue.withoutResidual(), ActivationTensor.of(tensor));
        epilogue.composeResidual(this, tensor);
    }

    @Override
    public void maxPool(PoolSpec spec, Tensor input, Tensor output) {
        ActivationTensor source = ActivationTensor.of(input);
        if (!pooling.max(spec, source, ActivationTensor.of(output))) {
            if (source.quantised() || source.rounded()) {
                throw new IllegalArgumentException("max-pool " + spec + " has windows outside the image: it cannot"
                        + " pool an int8 or bf16 hand-off");
            }
            super.maxPool(spec, input, output);
        }
    }

    @Override
    public void softmax(Tensor input, int groups, float temperature, Tensor output) {
        if (!softmax.apply(ActivationTensor.of(input), groups, temperature, ActivationTensor.of(output))) {
            super.softmax(input, groups, temperature, output);
        }
    }

    @Override
    public void averagePool(Tensor input, Tensor output) {
        pooling.average(ActivationTensor.of(input), ActivationTensor.of(output));
    }

    @Override
    public void shortcut(Tensor from, float alpha, float beta, Tensor output) {
        shortcut.apply(ActivationTensor.of(from), alpha, beta, ActivationTensor.of(output));
    }

    @Override
    public void copyChannels(Tensor source, Tensor destination, int offset) {
        channels.copy(ActivationTensor.of(source), ActivationTensor.of(destination), offset);
    }

    /** Views in whole channel blocks, where oneDNN's optimised convolutions take them ({@link ChannelViews}). */
    @Override
    public Optional<Tensor> channelSlice(Tensor parent, int offset, int channels) {
        return views.slice(ActivationTensor.of(parent), offset, channels).map(Tensor.class::cast);
    }

    @Override
    public void batchNormForward(BatchNormTraining state, Tensor x) {
        dnnl.requireTraining("batch normalisation in training mode");
        batchNorm.forward(state, ActivationTensor.of(x));
    }

    @Override
    public void batchNormBackward(BatchNormTraining state, Tensor delta) {
        batchNorm.backward(state, ActivationTensor.of(delta));
    }

    @Override
    public void biasGradient(Tensor delta, Tensor biasGradient) {
        biasGradients.add(ActivationTensor.of(delta), ParameterTensor.of(biasGradient));
    }

    @Override
    public void activationGradient(Activation activation, Tensor x, Tensor y, Tensor delta) {
        activationGradient.apply(activation, x == null ? null : ActivationTensor.of(x), ActivationTensor.of(y),
                ActivationTensor.of(delta));
    }

    @Override
    public void maxPoolBackward(PoolSpec spec, Tensor input, Tensor delta, Tensor inputDelta) {
        poolingBackward.max(spec, ActivationTensor.of(input), ActivationTensor.of(delta), ActivationTensor.of(inputDelta));
    }

    @Override
    public void averagePoolBackward(Tensor delta, Tensor inputDelta) {
        poolingBackward.average(ActivationTensor.of(delta), ActivationTensor.of(inputDelta));
    }

    @Override
    public void addChannels(Tensor source, int offset, Tensor destination) {
        channels.add(ActivationTensor.of(source), offset, ActivationTensor.of(destination));
    }

    /** Parameters (the solver's updates) in Java, activations (deltas) as a oneDNN sum. */
    @Override
    public void axpy(float alpha, Tensor x, Tensor y) {
        CpuTensor.of(y).addScaled(alpha, CpuTensor.of(x), kernels);
    }

    @Override
    public void scale(Tensor x, float factor) {
        CpuTensor.of(x).scale(factor, kernels);
    }

    @Override
    public void dropout(Tensor x, Tensor mask, float probability, long seed) {
        dropout.forward(ActivationTensor.of(x), ActivationTensor.of(mask), probability, seed);
    }

    @Override
    public void dropoutBackward(Tensor mask, float probability, Tensor delta) {
        dropout.backward(ActivationTensor.of(mask), probability, ActivationTensor.of(delta));
    }

    @Override
    public void synchronize() {
        dnnl.await();
    }

    @Override
    public void close() {
        javaThreads.close();
        dnnl.close();
    }
}
