package org.jdarknet.backend.cpu;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.bytedeco.dnnl.convolution_backward_data;
import org.bytedeco.dnnl.convolution_backward_weights;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.global.dnnl.algorithm;
import org.bytedeco.dnnl.global.dnnl.prop_kind;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.dnnl.primitive_desc;
import org.jdarknet.backend.Activation;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.Convolution;
import org.jdarknet.backend.ConvolutionSpec;
import org.jdarknet.backend.Epilogue;
import org.jdarknet.backend.Precision;
import org.jdarknet.backend.Tensor;

/**
 * A oneDNN convolution for one darknet geometry, reading and writing the backend's activation
 * layouts directly and picking its own weights layouts. One fused primitive per epilogue (a layer
 * uses its inference epilogue and, while training, the bare {@link Epilogue#NONE}); the backward
 * primitives are created when first needed ({@link LinearBackward}). An epilogue's residual is
 * fused as post-ops where oneDNN can ({@link ResidualPostOps}), else composed after the
 * convolution from the backend's own operations ({@link ComposedResidual}).
 *
 * <p>In an int8 backend a convolution with a calibrated input range computes on integers
 * ({@link Int8Convolution}); one without runs exactly as in fp32. In a bf16 backend, on a CPU with
 * bf16 instructions, it multiplies bf16 weights by its input rounded to bf16 ({@link Bf16Input}),
 * or by a bf16 hand-off as it is, summing in fp32 and writing floats or a bf16 hand-off; elsewhere
 * it computes fp32. Training computes only in fp32.
 */
final class CpuConvolution implements Convolution {
    private final ConvolutionSpec spec;
    private final Dnnl dnnl;
    private final Accumulate accumulate;
    private final Backend backend;
    private final Layout input;
    private final Layout output;
    private final Map<Forward, ForwardPass> fused = new HashMap<>();
    private final LinearBackward backward;

    /** @param backend the backend this belongs to, whose operations compose a residual it cannot fuse */
    CpuConvolution(ConvolutionSpec spec, Dnnl dnnl, Accumulate accumulate, Backend backend) {
        this.spec = spec;
        this.dnnl = dnnl;
        this.accumulate = accumulate;
        this.backend = backend;
        this.input = dnnl.layout(spec.input());
        this.output = dnnl.layout(spec.output());
        this.backward = new LinearBackward(this::backwardWeights, this::backwardData);
    }

    /**
     * A forward primitive's variant: its epilogue, the layouts it reads and writes (either may be a
     * channel view), what the tensors it reads and writes hold (f32, or a hand-off's s8 or bf16),
     * and the ranges of quantised ones (NaN: not quantised).
     */
    private record Forward(Epilogue epilogue, Layout input, Layout output, memory.data_type inputType,
                           memory.data_type outputType, float inputRange, float outputRange) {
        Forward(Epilogue epilogue, ActivationTensor input, ActivationTensor output) {
            this(epilogue, input.layout(), output.layout(), input.storedType(), output.storedType(), input.range(),
                    output.range());
        }

        Forward withoutResidual() {
            return new Forward(epilogue.withoutResidual(), input, output, inputType, outputType, inputRange, outputRange);
        }

        /** The same writing floats into a tensor of its own, laid out as {@code dense}. */
        Forward withFloatOutput(Layout dense) {
            return new Forward(epilogue, input, dense, inputType, memory.data_type.f32, inputRange, Float.NaN);
        }

        boolean quantised() {
            return !Float.isNaN(inputRange) || !Float.isNaN(outputRange);
        }

        boolean roundedInput() {
            return inputType == memory.data_type.bf16;
        }

        boolean roundedOutput() {
            return outputType == memory.data_type.bf16;
        }

        // Written out, not generated: see Shape#equals.
        @Override
        public boolean equals(Object other) {
            return other instanceof Forward forward && epilogue.equals(forward.epilogue) && input.equals(forward.input)
                    && output.equals(forward.output) && inputType == forward.inputType
                    && outputType == forward.outputType && Float.compare(inputRange, forward.inputRange) == 0
                    && Float.compare(outputRange, forward.outputRange) == 0;
        }

        @Override
        public int hashCode() {
            return Objects.hash(epilogue, input, output, inputType, outputType, inputRange, outputRange);
        }
    }

    @Override
    public ConvolutionSpec spec() {
        return spec;
    }

    @Override
    public void forward(Tensor input, Tensor weights, Epilogue epilogue, Tensor output) {
        ActivationTensor source = ActivationTensor.requireValues(input, this.input, "convolution input");
        ActivationTensor destination = ActivationTensor.requireValues(output, this.output, "convolution output");
        fused.computeIfAbsent(new Forward(epilogue, source, destination), this::create)
                .forward(source.stored(), ParameterTensor.of(weights), epilogue, destination.stored(), destination);
    }

    @Override
    public void backward(Tensor input, Tensor weights, Tensor delta, Tensor weightGradient, Tensor inputDelta) {
        dnnl.requireTraining("the backward pass of a convolution");
        ActivationTensor source = ActivationTensor.requireLayout(input, this.input, "convolution input");
        ActivationTensor outputDelta = ActivationTensor.requireLayout(delta, output, "convolution delta");
        ActivationTensor sourceDelta = inputDelta == null ? null : ActivationTensor.requireLayout(inputDelta, this.input,
                "convolution input delta");
        backward.run(source.memory(), ParameterTensor.of(weights), outputDelta.memory(), ParameterTensor.of(weightGradient),
                sourceDelta);
    }

    private ForwardPass create(Forward variant) {
        Epilogue epilogue = variant.epilogue();
        boolean int8 = dnnl.precision() == Precision.INT8 && spec.calibrated();
        requireHandOff(variant, int8);
        ResidualPostOps residual = ResidualPostOps.of(epilogue, variant.output());
        boolean composed = epilogue.residual() != null && residual == null;
        if (EltwiseSteps.of(epilogue.activation()) == null || composed) {
            if (!Float.isNaN(variant.outputRange())) {
                return NarrowedAfter.quantising(dnnl, create(variant.withFloatOutput(output)), output,
                        variant.outputRange());
            }
            if (variant.roundedOutput()) {
                return NarrowedAfter.rounding(dnnl, create(variant.withFloatOutput(output)), output, variant.output());
            }
        }
        if (composed) {
            return new ComposedResidual(create(variant.withoutResidual()), backend);
        }
        return int8 ? int8(variant, residual) : floating(variant, residual);
    }

    /**
     * Checks that the hand-offs it reads or writes are ones this convolution can take: a quantised
     * tensor ({@code Backend.allocateQuantised}) when it computes in int8, read with its own input
     * range; a rounded one ({@code Backend.allocateRounded}) when it multiplies bf16. Either may be
     * written with a residual in the epilogue (a residual stream in bytes or bf16).
     */
    private void requireHandOff(Forward variant, boolean int8) {
        String problem = variant.quantised() && !int8 ? "it does not compute in int8"
                : (variant.roundedInput() || variant.roundedOutput()) && !dnnl.bf16Products()
                ? "it does not multiply bf16"
                : !Float.isNaN(variant.inputRange()) && variant.inputRange() != spec.inputRange()
                ? "its input was quantised with range " + variant.inputRange() + ", not its own " + spec.inputRange()
                : null;
        if (problem != null) {
            throw new IllegalArgumentException("convolution " + spec + " cannot take a hand-off tensor: " + problem);
        }
    }

    /**
     * The fp32 or bf16 convolution. In bf16 it reads a rounded input as it is, and rounds any other
     * into a bf16 scratch tensor in the layout oneDNN picks ({@link Bf16Input}).
     */
    private ForwardPass floating(Forward variant, ResidualPostOps residual) {
        boolean bf16 = dnnl.bf16Products();
        boolean roundInput = bf16 && !variant.roundedInput();
        try (primitive_attr attributes = FusedPrimitive.attributes(variant.epilogue().activation(), residual);
             memory.desc source = roundInput ? Descriptors.bf16(memory.format_tag.any, Descriptors.dimensions(spec.input()))
                     : variant.input().descriptor(variant.inputType());
             memory.desc weights = bf16 ? Descriptors.bf16(memory.format_tag.any, weightDimensions())
                     : Descriptors.any(weightDimensions());
             memory.desc destination = variant.output().descriptor(variant.outputType());
             convolution_forward.primitive_desc descriptor = forwardDescriptor(source, weights, destination,
                     attributes)) {
            Dnnl.noteKernel(descriptor, () -> "convolution " + spec + " in " + (bf16 ? "bf16" : "fp32")
                    + (variant.roundedInput() ? ", bf16 input" : "") + (variant.roundedOutput() ? ", bf16 output" : ""));
            ForwardPass pass = new FusedPrimitive(dnnl, new convolution_forward(descriptor), plainWeights(),
                    descriptor.weights_desc(), spec.filters(), variant.epilogue().activation(), residual);
            return roundInput ? new Bf16Input(dnnl, variant.input(), descriptor.src_desc(), pass) : pass;
        }
    }

    /**
     * The int8 convolution, its input bytes (unless it reads a quantised tensor's) and weights bytes
     * in the layouts oneDNN picks. In int8 the backend offers no views, so a calibrated convolution
     * meets only its own layouts.
     */
    private ForwardPass int8(Forward variant, ResidualPostOps residual) {
        Activation activation = variant.epilogue().activation();
        boolean quantisedInput = !Float.isNaN(variant.inputRange());
        boolean quantisedOutput = !Float.isNaN(variant.outputRange());
        try (primitive_attr attributes = quantisedOutput
                ? Int8Convolution.quantisingAttributes(activation, residual, spec.groups())
                : Int8Convolution.attributes(activation, residual, spec.groups());
             memory.desc source = quantisedInput ? ActivationTensor.integerDescriptor(input)
                     : Descriptors.int8(memory.format_tag.any, Descriptors.dimensions(spec.input()));
             memory.desc destination = quantisedOutput ? ActivationTensor.integerDescriptor(output) : output.descriptor();
             convolution_forward.primitive_desc descriptor = forwardDescriptor(source,
                     Descriptors.int8(memory.format_tag.any, weightDimensions()), destination, attributes)) {
            Dnnl.noteKernel(descriptor, () -> "convolution " + spec + " in int8" + (quantisedInput ? ", int8 input" : "")
                    + (quantisedOutput ? ", int8 output" : ""));
            CpuIsa.warnOfSlowInt8();
            return new Int8Convolution(dnnl, descriptor, input, quantisedInput,
                    Descriptors.int8(plainWeightsTag(), weightDimensions()), spec.filters(), spec.inputRange(),
                    variant.outputRange(), activation, residual);
        }
    }

    /** The forward-inference description for this geometry, with a float bias and the output in {@code destination}. */
    private convolution_forward.primitive_desc forwardDescriptor(memory.desc source, memory.desc weights,
                                                                  memory.desc destination, primitive_attr attributes) {
        return new convolution_forward.primitive_desc(dnnl.engine(), prop_kind.forward_inference,
                algorithm.convolution_direct, source, weights, Descriptors.of(memory.format_tag.x, spec.filters()),
                destination, strides(), padding(), padding(), attributes, false);
    }

    /** The constructor both backward primitives' descriptions share. */
    @FunctionalInterface
    private interface BackwardDescriptor<T extends primitive_desc> {
        T create(engine engine, algorithm algorithm, memory.desc input, memory.desc weights, memory.desc output,
                 long[] strides, long[] paddingBefore, long[] paddingAfter, convolution_forward.primitive_desc hint);
    }

    /**
     * A backward primitive's description for this geometry, the weights' layout left to oneDNN.
     * The hint oneDNN asks for is the forward for training, without bias.
     */
    private <T extends primitive_desc> T backwardDescriptor(BackwardDescriptor<T> constructor) {
        memory.desc weights = Descriptors.any(weightDimensions());
        try (convolution_forward.primitive_desc hint = new convolution_forward.primitive_desc(dnnl.engine(),
                prop_kind.forward_training, algorithm.convolution_direct, input.descriptor(), weights,
                output.descriptor(), strides(), padding(), padding())) {
            T descriptor = constructor.create(dnnl.engine(), algorithm.convolution_direct, input.descriptor(), weights,
                    output.descriptor(), strides(), padding(), padding(), hint);
            Dnnl.noteSlowKernel(descriptor, () -> "backward of convolution " + spec);
            return descriptor;
        }
    }

    private BackwardWeights backwardWeights() {
        try (convolution_backward_weights.primitive_desc descriptor =
                     backwardDescriptor(convolution_backward_weights.primitive_desc::new)) {
            return new BackwardWeights(dnnl, new convolution_backward_weights(descriptor), descriptor.diff_weights_desc(),
                    plainWeights());
        }
    }

    private BackwardData backwardData() {
        try (convolution_backward_data.primitive_desc descriptor =
                     backwardDescriptor(convolution_backward_data.primitive_desc::new)) {
            return new BackwardData(dnnl, accumulate, new convolution_backward_data(descriptor),
                    descriptor.weights_desc(), plainWeights(), input, spec.filters());
        }
    }

    private long[] strides() {
        return new long[] {spec.stride(), spec.stride()};
    }

    /** oneDNN rounds the output size down as darknet does, so the same padding on both sides gives darknet's shape. */
    private long[] padding() {
        return new long[] {spec.padding(), spec.padding()};
    }

    private memory.desc plainWeights() {
        return Descriptors.of(plainWeightsTag(), weightDimensions());
    }

    private memory.format_tag plainWeightsTag() {
        return spec.groups() == 1 ? memory.format_tag.oihw : memory.format_tag.goihw;
    }

    /** Darknet's weights order, filters × channels/groups × size × size, with oneDNN's group dimension in front. */
    private long[] weightDimensions() {
        int groups = spec.groups();
        long filters = spec.filters() / groups;
        long channels = spec.input().c() / groups;
        return groups == 1 ? new long[] {filters, channels, spec.size(), spec.size()}
                : new long[] {groups, filters, channels, spec.size(), spec.size()};
    }

    @Override
    public void close() {
        fused.values().forEach(ForwardPass::close);
        fused.clear();
        backward.close();
    }
}
