package org.jdarknet.backend;

import java.nio.FloatBuffer;
import java.util.Optional;

/**
 * The operations darknet's layers are made of. A layer says what it computes by calling these; a
 * backend decides where the numbers live and how the work is done. Implementations:
 * {@code reference} (plain Java, darknet's exact arithmetic, the oracle for the others),
 * {@code cpu} (fast CPU, oneDNN); a CUDA backend is meant to be a third, behind this same interface.
 * What follows is the contract every implementation keeps.
 *
 * <h2>Adding a backend</h2>
 * A new backend needs its own {@link #allocate}, {@link #allocateParameter}, {@link #upload} and
 * {@link #download}; by extending {@link ReferenceFallback} every other operation starts on the
 * host, on the reference backend, and moves to the backend's own kernels one override at a time.
 * It is done when it passes the conformance kit in the tests: one subclass of each
 * {@code org.jdarknet.backend.*Conformance} class (operations, convolutions, training
 * operations, the zoo, training steps, training memory), each naming the backend through a
 * {@code BackendUnderTest} (its variants, and why it cannot run here, which skips the kit with
 * that reason printed). The cpu backend's subclasses are in {@code org.jdarknet.backend.cpu}.
 *
 * <h2>Tensors: two kinds behind one type</h2>
 * All tensors are logically batch × channels × height × width ({@link Shape}), handles to memory
 * the backend owns ({@link Tensor}). There are two kinds, and a backend may keep them differently:
 * <ul>
 * <li><b>activations</b>, made by {@link #allocate}: layer outputs, the network's input, their
 *     deltas, dropout masks, truth, and the {@code input}/{@code normalized} copies of
 *     {@link BatchNormTraining};
 * <li><b>parameters</b>, made by {@link #allocateParameter}: weights, biases, batch-norm scales,
 *     means and variances (also in {@link Epilogue} and {@link BatchNorm}), their gradients
 *     ({@code weightGradient}, {@code biasGradient}) and the per-channel tensors of
 *     {@link BatchNormTraining}.
 * </ul>
 * A backend may rely on every argument being of the kind named above, made by itself; it throws
 * {@link IllegalArgumentException} for a tensor of another backend. {@link #upload},
 * {@link #download} and {@link #fill} take either kind; {@link #copy}, {@link #axpy} and
 * {@link #scale} take tensors of one kind and one shape. Only {@code upload} and {@code download}
 * move values between Java and the backend, and the network uses them only at its edges (input,
 * output, weights files, the solver's checks).
 *
 * <p><b>Ownership.</b> Whoever allocates a tensor closes it; operations never close or keep the
 * tensors they are given, beyond caches of derived values (a reordered or folded copy of weights)
 * which must be released with the tensor or the prepared operation. A prepared
 * {@link WeightedOperation} ({@link Convolution}, {@link Connected}) is closed by its creator,
 * before the backend. Closing the backend releases its own pools and handles, not tensors still
 * open.
 *
 * <p><b>Parameters change only through this interface</b>: {@link #upload}, {@link #fill},
 * {@link #copy}, {@link #axpy}, {@link #scale} and the training operations that write gradients
 * and statistics. A backend that keeps derived copies of parameters (folded batch norm, other
 * layouts) must notice every one of these changes itself; no caller marks anything.
 *
 * <h2>Channel views (inference only)</h2>
 * {@link #channelSlice} may give a <b>view</b>: a tensor of {@code n × channels × h × w} whose values
 * are channels {@code offset .. offset+channels} of every item of an activation tensor made by
 * {@link #allocate} (the view's parent, itself not a view). A write through the view lands in
 * those channels of the parent, and a read sees whatever the parent holds there; the parent's
 * other channels are never touched through the view. A network built for inference uses views so
 * that a route's sources write their outputs straight into its concatenation
 * ({@code RouteLayer}). A view is an activation and may be the input or the output of every
 * forward operation: {@link Convolution#forward}, {@link Connected#forward}, {@link #apply},
 * {@link #maxPool}, {@link #averagePool}, {@link #shortcut}, {@link #copyChannels} (either side),
 * {@link #softmax}, {@link #crop}, {@link #copy}, {@link #fill}, {@link #upload} and {@link #download}.
 * The training operations (those after {@link #crop} in this interface, and the backward of
 * prepared operations) need not take views, so networks built for training never make them.
 * Closing a view releases only the view; it must not be used after its parent is closed.
 *
 * <p><b>Declining.</b> A backend may decline any slice (return empty), and the caller then keeps
 * the values apart and copies them ({@link #copyChannels}); no backend has to offer views.
 * The reference backend offers every slice; the cpu backend offers those its optimised oneDNN
 * kernels read and write (in a blocked layout, slices whose offset and size are multiples of the
 * block; none in a layout whose convolutions would fall back to oneDNN's reference kernel for a
 * view, as {@code nhwc} does on CPUs without AVX-512, nor in int8) and declines the rest, saying
 * why with {@code --verbose}; it keeps a network of many concatenations in a layout that takes
 * views where it can ({@link #prepare}). The cuda backend declines all.
 *
 * <h2>Residuals</h2>
 * An {@link Epilogue} may end with a {@link Epilogue.Residual}: after batch normalisation, bias and
 * activation the output becomes {@code activation(alpha*output + beta*from)}, darknet's shortcut
 * and its activation. Every backend honours it in every operation that takes an epilogue
 * ({@link Convolution#forward}, {@link Connected#forward}, {@link #apply}), fused or composed from
 * {@link #shortcut} and {@link #apply} ({@link Epilogue#composeResidual}). {@code from} has the
 * output's shape or another that {@link #shortcut} samples, and is never the output tensor nor a
 * view sharing its values. Networks put one there only at inference, fusing a {@code [shortcut]}
 * into the convolution before it.
 *
 * <h2>Order and waiting</h2>
 * Operations take effect in the order they are called, each seeing the results of those before
 * it. A backend with a queue (CUDA streams) may return from any call before the work is done,
 * except from these, which wait for everything issued before them and then return their result:
 * {@link #download}, {@link #softmaxCrossEntropy} and {@link #cost} (they return values), and
 * {@link #synchronize}. {@link #upload} may return before the copy is made on the device, but the
 * caller may change or reuse its array or buffer as soon as {@code upload} returns (a queuing
 * backend copies it to staging memory first). Mistakes in the arguments (a wrong shape, kind or
 * backend) are thrown by the call itself; a failure inside queued work may surface at the next
 * waiting call. Closing a tensor or prepared operation with work still queued on it must not
 * free the memory under that work.
 *
 * <h2>Overwrite or accumulate</h2>
 * Forward operations overwrite every value of their output. Gradients follow darknet's
 * convention: a "delta" is minus the gradient of the loss (it points from the prediction towards
 * the truth). Backward operations <b>add</b> to their destinations ({@code +=}): the weight and
 * input deltas of {@link WeightedOperation#backward} (convolutions and connected layers),
 * {@link #biasGradient}, {@link #maxPoolBackward}, {@link #averagePoolBackward},
 * {@link #addChannels}, {@link #axpy}, and the scales' gradient of {@link #batchNormBackward}. These work <b>in place</b> on {@code delta}:
 * {@link #activationGradient}, {@link #dropoutBackward} and {@link #batchNormBackward}. These
 * <b>overwrite</b>: the deltas of {@link #softmaxCrossEntropy} and {@link #cost}, the mask of
 * {@link #dropout}, and the batch statistics, kept input and normalised values of
 * {@link #batchNormForward} (which also updates the rolling statistics and works in place on
 * {@code x}); {@link #batchNormBackward} overwrites the mean and variance deltas.
 *
 * <h2>Dropout</h2>
 * {@link #dropout} draws its numbers from {@link DropoutStream}, exactly: value {@code i} (logical
 * NCHW index) of the tensor draws {@code DropoutStream.uniform(seed, i)}, so that all backends
 * drop the same values for the same seed.
 *
 * <h2>Agreement with the reference backend</h2>
 * Given the same inputs, every backend matches the reference backend as follows, each bound
 * relative to the largest magnitude of the reference's result:
 * <ul>
 * <li>bit for bit: {@link #upload}/{@link #download} round trips, {@link #fill}, {@link #copy},
 *     {@link #maxPool} and {@link #maxPoolBackward} (ties go to the first largest),
 *     {@link #averagePoolBackward}, {@link #copyChannels}, {@link #addChannels}, {@link #crop},
 *     {@link #dropout} and {@link #dropoutBackward} (mask, output and delta), {@link #shortcut}
 *     with {@code alpha = beta = 1}, {@link #axpy} and {@link #scale} on parameters, and the
 *     kept input of {@link #batchNormForward};
 * <li>{@code 2e-6} for single operations that add or multiply in another order:
 *     {@link #averagePool}, other shortcuts, {@link #apply} with batch norm and bias, a connected
 *     layer's forward with its epilogue, {@link #biasGradient}, {@link #activationGradient},
 *     {@link #axpy} and {@link #scale} on activations;
 * <li>{@code 1e-5} for activations computed with approximated {@code exp} or {@code tanh}
 *     ({@link #apply} of each {@link Activation} alone);
 * <li>{@code 1e-6} for {@link #softmax}, and for the deltas and (relative to themselves) the
 *     losses of {@link #softmaxCrossEntropy} and {@link #cost};
 * <li>{@code 5e-6} for convolutions with their fused epilogues (residuals included), the backward of convolutions and
 *     connected layers (weight and input deltas), and batch normalisation forward and backward;
 * <li>a whole network with the zoo's seeded weights: every layer's output within {@code 5e-5},
 *     the same top-5 and probabilities within {@code 1e-4} (absolute);
 * <li>a whole training step (forward with batch statistics, backward, the solver's update): the
 *     loss within {@code 1e-5} of itself, and each updated parameter within {@code 1e-3} of the
 *     largest change in its tensor, plus {@code 1e-7} absolute for changes that are rounding noise;
 * <li>training allocates no tensor after the first step.
 * </ul>
 */
public interface Backend extends AutoCloseable {

    /** Short name as accepted by {@code --backend}, e.g. {@code reference}. */
    String name();

    /** One line for logs and benchmark tables: what runs the work and on how many threads. */
    String description();

    /**
     * How many of this machine's cores the backend keeps busy while it computes. A caller with
     * work of its own for the CPU (decoding the next images) runs it beside the passes when cores
     * are left over, and between them when none are. The default: every core, as the reference
     * backend's parallel loops take them.
     */
    default int hostThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * What convolutions and connected layers compute in. Every backend has {@link Precision#FP32},
     * and only there does the tolerance list above hold; a backend offering another precision says
     * in its documentation how far its results may be from fp32.
     */
    default Precision precision() {
        return Precision.FP32;
    }

    /**
     * Whether activation tensors and convolution workspaces live in the Java heap rather than in
     * native memory; parameters are Java arrays on every backend. A network's needs are checked
     * against the memory this names before anything is allocated.
     */
    default boolean activationsInJavaHeap() {
        return true;
    }

    /**
     * Told, before a network allocates its first tensor, what that network is like, so that the
     * backend may choose how to keep its activations (the cpu backend: their layout). Every tensor
     * of one network is allocated after the same call; tensors allocated before it, of other
     * networks, keep how they are kept and stay usable. The default keeps one way for all.
     */
    default void prepare(NetworkTraits network) {
    }

    /** A new zero-filled activation tensor (a layer's output, the network's input, their gradients). */
    Tensor allocate(Shape shape);

    /**
     * An activation tensor whose every reader quantises it in int8 with {@code range} (the
     * calibrated largest |value| of this tensor): the network's input or the output of a
     * convolution (its residual, if any, included), max-pool or route, read only by convolutions
     * quantised with that
     * {@link ConvolutionSpec#inputRange}, by quantised convolutions adding it as their epilogue's
     * residual ({@link Epilogue.Residual#from}: an int8 residual stream), by max-pools writing
     * another such tensor (of the same range), and by routes writing another such tensor (of any
     * range). A backend computing the convolutions in int8 may store it in 8 bits,
     * {@link Quantization#activationScale} steps saturated as {@link Quantization#quantize} rounds
     * them: {@link #upload} into it quantises the values, a convolution writing it quantises its
     * output as it computes it, one adding it adds
     * the values it holds, a max-pool takes the
     * largest integers (quantising keeps the order), {@link #copyChannels} into it quantises a
     * source of floats and steps a source of another range again (a value then moves by at most
     * half a step of each range), a convolution reading it takes the integers as its quantised
     * input, and the passes between them are saved. Such a tensor is only written and read so,
     * uploaded and {@link #download}ed (the values it holds, each a whole number of steps); nothing else
     * may use it. Every other backend gives a tensor of {@link #allocate}, which the default does.
     */
    default Tensor allocateQuantised(Shape shape, float range) {
        return allocate(shape);
    }

    /**
     * An activation tensor whose every reader rounds its values to bf16 anyway where the backend
     * multiplies in bf16 ({@link Precision#BF16}): it is written only by convolutions (their
     * residual, if any, included) and by max-pools (from another such tensor), read only by
     * convolutions (as their input, or adding it as their epilogue's residual) and by max-pools
     * (into another such tensor), and otherwise only viewed ({@link #channelSlice}: the views are
     * such tensors too, and a route placing all its sources in it reads nothing) and
     * {@link #download}ed. A backend whose convolutions multiply bf16 may store it in bf16: writers
     * round what they store to nearest, ties to even, as the reader would have rounded its input,
     * so the rounding passes are saved, and a residual adds the rounded values; its values download
     * exactly.
     * Every other backend gives a tensor of {@link #allocate}, which the default does.
     */
    default Tensor allocateRounded(Shape shape) {
        return allocate(shape);
    }

    /**
     * A new zero-filled tensor for learned values (weights, biases, batch-norm values) and their
     * gradients. A backend may keep these unlike activations (the cpu backend keeps them in plain
     * order and derives folded, reordered copies, which it rebuilds when the values change).
     */
    Tensor allocateParameter(Shape shape);

    /**
     * Copies {@code values} (logical NCHW order, exactly {@code shape.size()} of them) into
     * {@code tensor}; the caller may reuse the array as soon as this returns.
     */
    default void upload(float[] values, Tensor tensor) {
        upload(FloatBuffer.wrap(values), tensor);
    }

    /**
     * Copies the values remaining in {@code values} (logical NCHW order, exactly
     * {@code shape.size()} of them) into {@code tensor}, leaving the buffer's position at its
     * limit. A mapped weights file goes into parameters this way without a copy in between. The
     * caller may reuse or unmap the buffer as soon as this returns.
     */
    void upload(FloatBuffer values, Tensor tensor);

    /** The tensor's values in logical NCHW order, in a new array; waits for the work issued before. */
    float[] download(Tensor tensor);

    void fill(Tensor tensor, float value);

    /** Copies all values of {@code source} into {@code destination}, of the same kind and shape. */
    void copy(Tensor source, Tensor destination);

    /** Prepares a convolution for one geometry; layers create theirs once and reuse it. */
    Convolution convolution(ConvolutionSpec spec);

    /** Prepares a fully connected layer's product for one geometry; layers create theirs once and reuse it. */
    Connected connected(ConnectedSpec spec);

    /** Applies an epilogue (normalisation, bias, activation) in place. */
    void apply(Epilogue epilogue, Tensor tensor);

    /** Max pooling with darknet's window rules. */
    void maxPool(PoolSpec spec, Tensor input, Tensor output);

    /** Global average pooling: every channel of every item becomes its mean. */
    void averagePool(Tensor input, Tensor output);

    /**
     * Darknet's shortcut: {@code output = alpha*output + beta*from}, where {@code from} may have
     * another shape. Then the larger of the two is sampled at every {@code w_larger/w_smaller}-th
     * cell, only the common channels are touched, and nothing is projected.
     */
    void shortcut(Tensor from, float alpha, float beta, Tensor output);

    /** Copies all channels of {@code source} into {@code destination} from channel {@code offset} on (a route). */
    void copyChannels(Tensor source, Tensor destination, int offset);

    /**
     * A view of channels {@code offset .. offset+channels} of {@code parent} (an activation tensor
     * made by {@link #allocate}), for every item; empty where the backend declines, which the
     * default always does. See "Channel views" above for what a view is and where it may be used.
     */
    default Optional<Tensor> channelSlice(Tensor parent, int offset, int channels) {
        return Optional.empty();
    }

    /**
     * Softmax over each of {@code groups} equal consecutive slices of every item (flat CHW order),
     * of {@code input/temperature}.
     */
    void softmax(Tensor input, int groups, float temperature, Tensor output);

    /**
     * Darknet's crop layer: the window of {@code output}'s size at ({@code top}, {@code left}),
     * mirrored when {@code flip}, times {@code scale} plus {@code shift}.
     */
    void crop(Tensor input, int top, int left, boolean flip, float scale, float shift, Tensor output);

    // ---------------------------------------------------------------- training
    // Deltas are minus gradients; what adds, what overwrites: see the class comment.

    /**
     * Batch normalisation with the current batch's statistics, in place: keeps the input and the
     * normalised values, updates the rolling statistics, multiplies by the scales (no bias).
     */
    void batchNormForward(BatchNormTraining state, Tensor x);

    /**
     * Back through {@link #batchNormForward}: adds the scales' gradient and turns {@code delta}
     * (with respect to the scaled output) into the delta with respect to the input, in place.
     */
    void batchNormBackward(BatchNormTraining state, Tensor delta);

    /** {@code biasGradient[c] += sum over items and positions of delta[., c, ., .]}. */
    void biasGradient(Tensor delta, Tensor biasGradient);

    /**
     * {@code delta *= activation'}, from the output {@code y} (and the input {@code x} for the
     * activations that need it; null otherwise).
     */
    void activationGradient(Activation activation, Tensor x, Tensor y, Tensor delta);

    /** Back through {@link #maxPool}: each window's delta goes to the (first) largest input. */
    void maxPoolBackward(PoolSpec spec, Tensor input, Tensor delta, Tensor inputDelta);

    /** Back through {@link #averagePool}: each channel's delta spread evenly over its positions. */
    void averagePoolBackward(Tensor delta, Tensor inputDelta);

    /** Back through {@link #copyChannels}: {@code destination += source's channels from offset on}. */
    void addChannels(Tensor source, int offset, Tensor destination);

    /** {@code y += alpha * x} (same kind and shape). */
    void axpy(float alpha, Tensor x, Tensor y);

    /** {@code x *= factor}. */
    void scale(Tensor x, float factor);

    /**
     * Cross-entropy of softmax {@code probabilities} against {@code truth}: sets
     * {@code delta = truth - probabilities} and returns the summed loss (darknet's
     * {@code softmax_x_ent}: only positions with a non-zero truth add {@code -log p}). Waits for
     * the work issued before.
     */
    float softmaxCrossEntropy(Tensor probabilities, Tensor truth, Tensor delta);

    /** A {@code [cost]} layer: sets {@code delta} and returns the summed error; waits for the work issued before. */
    float cost(CostFunction function, Tensor prediction, Tensor truth, Tensor delta);

    /**
     * Training-time dropout in place: writes {@link DropoutStream}'s draw for each value into
     * {@code mask} (from {@code seed}); values whose draw is below {@code probability} become 0,
     * the rest are scaled by {@link DropoutStream#keptScale}.
     */
    void dropout(Tensor x, Tensor mask, float probability, long seed);

    /** Back through {@link #dropout}, in place, with the same mask. */
    void dropoutBackward(Tensor mask, float probability, Tensor delta);

    /**
     * Runs {@code pass}, a sequence of this backend's operations that the caller repeats, under
     * {@code key}; a backend may record the sequence once and replay the recording on later calls
     * with the same key (the cuda backend captures it as a CUDA graph). The default runs
     * {@code pass} once per call, and a backend may always fall back to that. The caller keeps
     * these rules, so that a replay does exactly what running {@code pass} would:
     * <ul>
     * <li>every call with one key issues the same operations on the same tensors with the same
     *     values; a new sequence (another network, other tensors) is a new key. Values change
     *     between calls only inside the tensors: {@link #upload}s into them happen before the
     *     call, {@link #download}s of the results after it;
     * <li>the pass neither moves values between Java and the backend nor waits ({@link #upload},
     *     {@link #download}, {@link #softmaxCrossEntropy}, {@link #cost}, {@link #synchronize})
     *     nor allocates or closes tensors;
     * <li>the pass may be run eagerly before it is recorded (so that one-time work, such as
     *     choosing algorithms or growing workspaces, happens outside the recording), and at the
     *     moment of recording it may not run at all: its Java side effects are not repeated on
     *     replays.
     * </ul>
     * A recording stays valid while the tensors it uses are open; a backend drops it when memory
     * it may use is released. Like other operations, the call may return before the work is done.
     */
    default void repeatable(Object key, Runnable pass) {
        pass.run();
    }

    /** Waits until all work issued so far has finished (for timing); nothing to do for synchronous backends. */
    default void synchronize() {
    }

    /** Releases what the backend holds beyond its tensors (pools, handles). */
    @Override
    default void close() {
    }
}
