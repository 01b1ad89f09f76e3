package org.jdarknet.backend.cpu;

import java.util.HashMap;
import java.util.Map;
import org.bytedeco.dnnl.memory;
import org.jdarknet.backend.Connected;
import org.jdarknet.backend.ConnectedSpec;
import org.jdarknet.backend.Epilogue;
import org.jdarknet.backend.Tensor;

/**
 * A oneDNN inner product for one connected layer's geometry, reading and writing the backend's
 * activation layouts directly ({@link InnerProduct}). As for {@link CpuConvolution}: one fused
 * primitive per epilogue, the backward primitives created when first needed.
 */
final class CpuConnected implements Connected {
    private final ConnectedSpec spec;
    private final InnerProduct primitives;
    private final memory.desc outputView;
    private final Map<Epilogue, FusedPrimitive> fused = new HashMap<>();
    private final LinearBackward backward;

    CpuConnected(ConnectedSpec spec, Dnnl dnnl, Accumulate accumulate) {
        this.spec = spec;
        this.primitives = new InnerProduct(dnnl, accumulate, dnnl.layout(spec.input()), dnnl.layout(spec.output()));
        this.outputView = primitives.outputView();
        this.backward = new LinearBackward(primitives::backwardWeights, primitives::backwardData);
    }

    @Override
    public ConnectedSpec spec() {
        return spec;
    }

    @Override
    public void forward(Tensor input, Tensor weights, Epilogue epilogue, Tensor output) {
        ActivationTensor source = ActivationTensor.requireLayout(input, primitives.input(), "connected input");
        ActivationTensor destination = ActivationTensor.requireLayout(output, primitives.output(), "connected output");
        FusedPrimitive primitive = fused.computeIfAbsent(epilogue, e -> primitives.forward(e.activation()));
        try (memory view = primitives.dnnl().wrap(outputView, destination.memory().get_data_handle())) {
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
        fused.values().forEach(FusedPrimitive::close);
        fused.clear();
        backward.close();
        outputView.close();
    }
}
