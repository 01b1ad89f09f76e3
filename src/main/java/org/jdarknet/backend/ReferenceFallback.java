package org.jdarknet.backend;

import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import org.jdarknet.Log;
import org.jdarknet.backend.reference.ArrayTensor;
import org.jdarknet.backend.reference.ReferenceBackend;

/**
 * A backend whose operations run on the reference backend, through the host: the tensors are
 * downloaded into plain arrays by the backend's own {@link #download}, the reference backend
 * computes (darknet's exact arithmetic), and what the operation writes is uploaded back by its
 * {@link #upload}. A new backend extends this class and needs only its own tensors
 * ({@code allocate}, {@code allocateParameter}, {@code upload}, {@code download}) to pass the
 * conformance kit; it then overrides the operations with its own kernels one at a time. Those
 * too small or rare to be worth a kernel can stay here (the cpu backend's softmax, losses, crop
 * and unusual pooling windows).
 *
 * <p>Each operation says which of its tensors it reads and which it writes, as the contract's
 * overwrite-or-accumulate rules have it; a tensor written but not read is not downloaded. The
 * first time an operation falls back, a detail line (shown with {@code --verbose}) names it;
 * {@link #fellBack} lists them all. Falling back waits for the backend's queued work (it
 * downloads), so it suits a queuing backend only where that is acceptable.
 */
public abstract class ReferenceFallback implements Backend {
    private final ReferenceBackend reference = new ReferenceBackend();
    private final Set<String> fellBack = new HashSet<>();

    /** The names of the operations that have fallen back so far. */
    public final Set<String> fellBack() {
        return Set.copyOf(fellBack);
    }

    @Override
    public void fill(Tensor tensor, float value) {
        run("fill", host -> reference.fill(host.output(tensor), value));
    }

    @Override
    public void copy(Tensor source, Tensor destination) {
        run("copy", host -> reference.copy(host.input(source), host.output(destination)));
    }

    /** A prepared convolution whose passes fall back. */
    @Override
    public Convolution convolution(ConvolutionSpec spec) {
        final class HostConvolution extends HostWeighted implements Convolution {
            HostConvolution() {
                super("convolution", reference.convolution(spec));
            }

            @Override
            public ConvolutionSpec spec() {
                return spec;
            }
        }
        return new HostConvolution();
    }

    /** A prepared connected layer whose passes fall back. */
    @Override
    public Connected connected(ConnectedSpec spec) {
        final class HostConnected extends HostWeighted implements Connected {
            HostConnected() {
                super("connected", reference.connected(spec));
            }

            @Override
            public ConnectedSpec spec() {
                return spec;
            }
        }
        return new HostConnected();
    }

    /** A prepared operation of the reference backend, run on host copies of the arguments. */
    private abstract class HostWeighted implements WeightedOperation {
        private final String name;
        private final WeightedOperation operation;

        HostWeighted(String name, WeightedOperation operation) {
            this.name = name;
            this.operation = operation;
        }

        @Override
        public void forward(Tensor input, Tensor weights, Epilogue epilogue, Tensor output) {
            run(name, host -> operation.forward(host.input(input), host.input(weights), host.input(epilogue),
                    host.output(output)));
        }

        @Override
        public void backward(Tensor input, Tensor weights, Tensor delta, Tensor weightGradient, Tensor inputDelta) {
            run(name + " backward", host -> operation.backward(host.input(input), host.input(weights),
                    host.input(delta), host.update(weightGradient), host.update(inputDelta)));
        }
    }

    @Override
    public void apply(Epilogue epilogue, Tensor tensor) {
        run("apply", host -> reference.apply(host.input(epilogue), host.update(tensor)));
    }

    @Override
    public void maxPool(PoolSpec spec, Tensor input, Tensor output) {
        run("maxPool", host -> reference.maxPool(spec, host.input(input), host.output(output)));
    }

    @Override
    public void averagePool(Tensor input, Tensor output) {
        run("averagePool", host -> reference.averagePool(host.input(input), host.output(output)));
    }

    @Override
    public void shortcut(Tensor from, float alpha, float beta, Tensor output) {
        run("shortcut", host -> reference.shortcut(host.input(from), alpha, beta, host.update(output)));
    }

    @Override
    public void copyChannels(Tensor source, Tensor destination, int offset) {
        run("copyChannels", host -> reference.copyChannels(host.input(source), host.update(destination), offset));
    }

    @Override
    public void softmax(Tensor input, int groups, float temperature, Tensor output) {
        run("softmax", host -> reference.softmax(host.input(input), groups, temperature, host.output(output)));
    }

    @Override
    public void crop(Tensor input, int top, int left, boolean flip, float scale, float shift, Tensor output) {
        run("crop", host -> reference.crop(host.input(input), top, left, flip, scale, shift, host.output(output)));
    }

    @Override
    public void batchNormForward(BatchNormTraining state, Tensor x) {
        run("batchNormForward", host -> reference.batchNormForward(new BatchNormTraining(host.input(state.scales()),
                host.update(state.rollingMean()), host.update(state.rollingVariance()), host.output(state.mean()),
                host.output(state.variance()), host.output(state.input()), host.output(state.normalized()),
                host.input(state.scaleGradient()), host.input(state.meanDelta()), host.input(state.varianceDelta()),
                state.style()), host.update(x)));
    }

    @Override
    public void batchNormBackward(BatchNormTraining state, Tensor delta) {
        run("batchNormBackward", host -> reference.batchNormBackward(new BatchNormTraining(host.input(state.scales()),
                host.input(state.rollingMean()), host.input(state.rollingVariance()), host.input(state.mean()),
                host.input(state.variance()), host.input(state.input()), host.input(state.normalized()),
                host.update(state.scaleGradient()), host.output(state.meanDelta()), host.output(state.varianceDelta()),
                state.style()), host.update(delta)));
    }

    @Override
    public void biasGradient(Tensor delta, Tensor biasGradient) {
        run("biasGradient", host -> reference.biasGradient(host.input(delta), host.update(biasGradient)));
    }

    @Override
    public void activationGradient(Activation activation, Tensor x, Tensor y, Tensor delta) {
        run("activationGradient", host -> reference.activationGradient(activation, host.input(x), host.input(y),
                host.update(delta)));
    }

    @Override
    public void maxPoolBackward(PoolSpec spec, Tensor input, Tensor delta, Tensor inputDelta) {
        run("maxPoolBackward", host -> reference.maxPoolBackward(spec, host.input(input), host.input(delta),
                host.update(inputDelta)));
    }

    @Override
    public void averagePoolBackward(Tensor delta, Tensor inputDelta) {
        run("averagePoolBackward", host -> reference.averagePoolBackward(host.input(delta), host.update(inputDelta)));
    }

    @Override
    public void addChannels(Tensor source, int offset, Tensor destination) {
        run("addChannels", host -> reference.addChannels(host.input(source), offset, host.update(destination)));
    }

    @Override
    public void axpy(float alpha, Tensor x, Tensor y) {
        run("axpy", host -> reference.axpy(alpha, host.input(x), host.update(y)));
    }

    @Override
    public void scale(Tensor x, float factor) {
        run("scale", host -> reference.scale(host.update(x), factor));
    }

    @Override
    public float softmaxCrossEntropy(Tensor probabilities, Tensor truth, Tensor delta) {
        return compute("softmaxCrossEntropy", host -> reference.softmaxCrossEntropy(host.input(probabilities),
                host.input(truth), host.output(delta)));
    }

    @Override
    public float cost(CostFunction function, Tensor prediction, Tensor truth, Tensor delta) {
        return compute("cost", host -> reference.cost(function, host.input(prediction), host.input(truth),
                host.output(delta)));
    }

    @Override
    public void dropout(Tensor x, Tensor mask, float probability, long seed) {
        run("dropout", host -> reference.dropout(host.update(x), host.output(mask), probability, seed));
    }

    @Override
    public void dropoutBackward(Tensor mask, float probability, Tensor delta) {
        run("dropoutBackward", host -> reference.dropoutBackward(host.input(mask), probability, host.update(delta)));
    }

    private void run(String name, Consumer<Host> operation) {
        compute(name, host -> {
            operation.accept(host);
            return 0;
        });
    }

    private float compute(String name, ToDoubleFunction<Host> operation) {
        if (fellBack.add(name)) {
            Log.detail(name() + " backend: " + name + " runs on the reference backend, through the host");
        }
        Host host = new Host();
        float result = (float) operation.applyAsDouble(host);
        host.writeBack();
        return result;
    }

    /** The host copies of one operation's tensors; null tensors (optional arguments) stay null. */
    private final class Host {
        private final Map<Tensor, ArrayTensor> copies = new IdentityHashMap<>();
        private final Map<Tensor, ArrayTensor> written = new IdentityHashMap<>();

        /** A tensor the operation only reads. */
        Tensor input(Tensor tensor) {
            return tensor == null ? null : copies.computeIfAbsent(tensor, this::download);
        }

        /** A tensor the operation reads and writes (accumulates into, or changes in place). */
        Tensor update(Tensor tensor) {
            if (tensor == null) {
                return null;
            }
            ArrayTensor copy = copies.computeIfAbsent(tensor, this::download);
            written.put(tensor, copy);
            return copy;
        }

        /** A tensor the operation overwrites without reading. */
        Tensor output(Tensor tensor) {
            if (tensor == null) {
                return null;
            }
            ArrayTensor copy = copies.computeIfAbsent(tensor, t -> new ArrayTensor(t.shape()));
            written.put(tensor, copy);
            return copy;
        }

        Epilogue input(Epilogue epilogue) {
            BatchNorm batchNorm = epilogue.batchNorm();
            BatchNorm hostBatchNorm = batchNorm == null ? null : new BatchNorm(input(batchNorm.scales()),
                    input(batchNorm.mean()), input(batchNorm.variance()), batchNorm.style());
            Epilogue.Residual residual = epilogue.residual();
            Epilogue.Residual hostResidual = residual == null ? null : new Epilogue.Residual(input(residual.from()),
                    residual.alpha(), residual.beta(), residual.activation());
            return new Epilogue(hostBatchNorm, input(epilogue.biases()), epilogue.activation(), hostResidual);
        }

        private ArrayTensor download(Tensor tensor) {
            ArrayTensor copy = new ArrayTensor(tensor.shape());
            reference.upload(ReferenceFallback.this.download(tensor), copy);
            return copy;
        }

        void writeBack() {
            written.forEach((tensor, copy) -> ReferenceFallback.this.upload(copy.data(), tensor));
        }
    }
}
