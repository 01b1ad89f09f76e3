package org.jdarknet.backend.cpu;

import java.util.List;
import java.util.Objects;
import org.bytedeco.dnnl.binary;
import org.bytedeco.dnnl.eltwise_forward;
import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.post_ops;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.javacpp.FloatPointer;
import org.jdarknet.backend.Activation;
import org.jdarknet.backend.Epilogue;

/**
 * {@code Backend.apply}: an epilogue on its own, in place (a batchnorm layer, a shortcut's
 * activation). Normalisation and bias become one binary multiply-add per channel with the
 * activation as post-ops; a bare activation is one eltwise primitive per step.
 */
final class EpilogueOp {
    private final Dnnl dnnl;

    EpilogueOp(Dnnl dnnl) {
        this.dnnl = dnnl;
    }

    private record EltwiseKey(Layout layout, EltwiseSteps.Step step) {
        // Written out, not generated: see Shape#equals.
        @Override
        public boolean equals(Object other) {
            return other instanceof EltwiseKey key && layout.equals(key.layout) && step.equals(key.step);
        }

        @Override
        public int hashCode() {
            return Objects.hash(layout, step);
        }
    }

    private record AffineKey(Epilogue epilogue, Layout layout) {
        // Written out, not generated: see Shape#equals.
        @Override
        public boolean equals(Object other) {
            return other instanceof AffineKey key && epilogue.equals(key.epilogue) && layout.equals(key.layout);
        }

        @Override
        public int hashCode() {
            return Objects.hash(epilogue, layout);
        }
    }

    void apply(Epilogue epilogue, ActivationTensor tensor) {
        List<ParameterTensor> parameters = ChannelAffine.parameters(epilogue);
        if (parameters.isEmpty()) {
            activate(epilogue.activation(), tensor);
            return;
        }
        parameters.get(0).derived(new AffineKey(epilogue, tensor.layout()), () -> new Affine(epilogue, tensor.layout()))
                .run(epilogue, tensor);
        if (EltwiseSteps.of(epilogue.activation()) == null) {
            JavaActivation.apply(epilogue.activation(), tensor);
        }
    }

    /** Applies {@code activation} in place. */
    private void activate(Activation activation, ActivationTensor tensor) {
        List<EltwiseSteps.Step> steps = EltwiseSteps.of(activation);
        if (steps == null) {
            JavaActivation.apply(activation, tensor);
            return;
        }
        for (EltwiseSteps.Step step : steps) {
            eltwise(step, tensor);
        }
    }

    /** Applies one eltwise operation in place (oneDNN keeps the padding lanes of its outputs zero). */
    void eltwise(EltwiseSteps.Step step, ActivationTensor tensor) {
        primitive eltwise = dnnl.cached(new EltwiseKey(tensor.layout(), step), () -> {
            memory.desc descriptor = tensor.layout().descriptor();
            try (eltwise_forward.primitive_desc primitive = new eltwise_forward.primitive_desc(dnnl.engine(),
                    prop_kind.forward_inference, step.algorithm(), descriptor, descriptor, step.alpha(), step.beta())) {
                return new eltwise_forward(primitive);
            }
        });
        dnnl.execute(eltwise, Arg.src(tensor.memory()), Arg.dst(tensor.memory()));
    }

    /** {@code x*multiplier + shift} per channel, then the activation when oneDNN has it. */
    private final class Affine implements ParameterTensor.Derived {
        private final primitive primitive;
        private final memory multipliers;
        private final memory shifts;
        private Versions versions;

        Affine(Epilogue epilogue, Layout layout) {
            int channels = layout.shape().c();
            memory.desc perChannel = Descriptors.perChannel(channels);
            multipliers = dnnl.allocate(perChannel);
            shifts = dnnl.allocate(perChannel);
            List<EltwiseSteps.Step> steps = EltwiseSteps.of(epilogue.activation());
            try (post_ops operations = new post_ops(); primitive_attr attributes = new primitive_attr()) {
                operations.append_binary(algorithm.binary_add, perChannel);
                attributes.set_post_ops(EltwiseSteps.append(operations, steps == null ? List.of() : steps));
                memory.desc descriptor = layout.descriptor();
                try (binary.primitive_desc primitive = new binary.primitive_desc(dnnl.engine(), algorithm.binary_mul,
                        descriptor, perChannel, descriptor, attributes, false)) {
                    this.primitive = new binary(primitive);
                }
            }
        }

        void run(Epilogue epilogue, ActivationTensor tensor) {
            List<ParameterTensor> sources = ChannelAffine.parameters(epilogue);
            if (versions == null || !versions.current(sources)) {
                versions = Versions.of(sources);
                ChannelAffine affine = ChannelAffine.of(epilogue, tensor.shape().c());
                new FloatPointer(multipliers.get_data_handle()).put(affine.floatMultipliers());
                new FloatPointer(shifts.get_data_handle()).put(affine.floatShifts());
            }
            dnnl.execute(primitive, Arg.src(tensor.memory()), Arg.src1(multipliers), Arg.postOpOperand(0, shifts),
                    Arg.dst(tensor.memory()));
        }

        @Override
        public void close() {
            primitive.close();
            multipliers.close();
            shifts.close();
        }
    }
}
