package org.jdarknet.backend.cpu;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.bytedeco.dnnl.memory;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.Connected;
import org.jdarknet.backend.ConnectedSpec;
import org.jdarknet.backend.Epilogue;
import org.jdarknet.backend.Tensor;

/**
 * A oneDNN inner product for one connected layer's geometry, reading and writing the backend's
 * activation layouts directly ({@link InnerProduct}). As for {@link CpuConvolution}: one fused
 * primitive per epilogue, the backward primitives created when first needed; an epilogue's residual
 * is composed after the inner product ({@link ComposedResidual}).
 */
final class CpuConnected implements Connected {
    private final ConnectedSpec spec;
    private final InnerProduct primitives;
    private final memory.desc outputView;
    private final Map<Forward, ForwardPass> fused = new HashMap<>();
    private final Map<Layout, memory.desc> outputViews = new HashMap<>();
    private final LinearBackward backward;
    private final Backend backend;

    /** @param backend the backend this belongs to, whose operations compose an epilogue's residual */
    CpuConnected(ConnectedSpec spec, Dnnl dnnl, Accumulate accumulate, Backend backend) {
        this.spec = spec;
        this.backend = backend;
        this.primitives = new InnerProduct(dnnl, accumulate, dnnl.layout(spec.input()), dnnl.layout(spec.output()));
        this.outputView = primitives.outputView();
        this.outputViews.put(primitives.output(), outputView);
        this.backward = new LinearBackward(primitives::backwardWeights, primitives::backwardData);
    }

    /** A forward primitive's variant: its epilogue, and the layouts it reads and writes (either may be a channel view). */
    private record Forward(Epilogue epilogue, InnerProduct layouts) {
        // Written out, not generated: see Shape#equals.
        @Override
        public boolean equals(Object other) {
            return other instanceof Forward forward && epilogue.equals(forward.epilogue)
                    && layouts.equals(forward.layouts);
        }

        @Override
        public int hashCode() {
            return Objects.hash(epilogue, layouts);
        }
    }

    @Override
    public ConnectedSpec spec() {
        return spec;
    }

    @Override
    public void forward(Tensor input, Tensor weights, Epilogue epilogue, Tensor output) {
        ActivationTensor source = ActivationTensor.requireValues(input, primitives.input(), "connected input");
        ActivationTensor destination = ActivationTensor.requireValues(output, primitives.output(), "connected output");
        InnerProduct layouts = new InnerProduct(primitives.dnnl(), primitives.accumulate(), source.layout(),
                destination.layout());
        ForwardPass primitive = fused.computeIfAbsent(new Forward(epilogue, layouts), f -> epilogue.residual() == null
                ? layouts.forward(epilogue.activation()) : new ComposedResidual(layouts.forward(epilogue.activation()), backend));
        memory.desc written = outputViews.computeIfAbsent(destination.layout(), l -> layouts.outputView());
        try (memory view = primitives.dnnl().wrap(written, destination.memory().get_data_handle())) {
            primitive.forward(source.memory(), ParameterTensor.of(weights), epilogue, view, destination);
        }
    }

    @Override
    public void backward(Tensor input, Tensor weights, Tensor delta, Tensor weightGradient, Tensor inputDelta) {
        primitives.dnnl().requireTraining("the backward pass of a connected layer");
        ActivationTensor source = ActivationTensor.requireLayout(input, primitives.input(), "connected input");
        ActivationTensor outputDelta = ActivationTensor.requireLayout(delta, primitives.output(), "connected delta");
        ActivationTensor sourceDelta = inputDelta == null ? null
                : ActivationTensor.requireLayout(inputDelta, primitives.input(), "connected input delta");
        try (memory view = primitives.dnnl().wrap(outputView, outputDelta.memory().get_data_handle())) {
            backward.run(source.memory(), ParameterTensor.of(weights), view, ParameterTensor.of(weightGradient),
                    sourceDelta);
        }
    }

    @Override
    public void close() {
        fused.values().forEach(ForwardPass::close);
        fused.clear();
        backward.close();
        outputViews.values().forEach(memory.desc::close);
    }
}
