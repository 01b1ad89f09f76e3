package org.jdarknet.backend.cpu;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.dnnl.reorder;
import org.jdarknet.backend.Activation;
import org.jdarknet.backend.Epilogue;
import org.jdarknet.backend.Quantization;

/**
 * A convolution computed on 8-bit integers, with one epilogue. Each pass quantises the float input
 * into a scratch tensor of signed bytes (a oneDNN reorder dividing by the calibrated input scale,
 * {@link Quantization#activationScale}), then runs oneDNN's int8 convolution on it with the folded
 * weights quantised per output channel ({@link QuantizedWeights}). oneDNN multiplies the 32-bit
 * integer sums by both scales, adds the float bias and applies the activation's post-ops, writing
 * floats in the backend's activation layout; activations oneDNN lacks run in Java after, as in
 * fp32.
 *
 * <p>A quantised tensor ({@link ActivationTensor#quantised}) is the hand-off between two such
 * convolutions: one reading it takes its bytes as its quantised input, with no reorder; one
 * writing it divides its output by the tensor's scale and rounds it to bytes as the last step of
 * the primitive (oneDNN's destination scale), instead of writing floats.
 *
 * <p>oneDNN's reorder multiplies by the scale's reciprocal where {@link Quantization#quantize}
 * divides: the two give different integers only where {@code x/scale} is within a float rounding
 * of a half-integer. The same holds for the destination scale.
 */
final class Int8Convolution implements ForwardPass {
    private final Dnnl dnnl;
    private final reorder quantize;
    private final memory quantized;
    private final memory inputScale;
    private final memory outputScale;
    private final FusedPrimitive convolution;

    /**
     * @param descriptor    the int8 convolution, created with {@link #attributes}
     * @param input         the layout of the input
     * @param quantisedInput whether the input is a quantised tensor (with this convolution's input range)
     * @param plainIntegers the same dimensions as bytes
     * @param inputRange    the calibrated largest |input|
     * @param outputRange   the range of a quantised output, NaN for floats
     */
    Int8Convolution(Dnnl dnnl, convolution_forward.primitive_desc descriptor, Layout input, boolean quantisedInput,
                    memory.desc plainIntegers, int outputs, float inputRange,
                    float outputRange, Activation activation, ResidualPostOps residual) {
        this.dnnl = dnnl;
        memory.desc integers = descriptor.src_desc();
        this.quantized = quantisedInput ? null : dnnl.allocate(integers);
        this.quantize = quantisedInput ? null : quantizer(dnnl, input.descriptor(), integers);
        this.inputScale = scale(dnnl, inputRange);
        this.outputScale = Float.isNaN(outputRange) ? null : scale(dnnl, outputRange);
        QuantizedWeights weights = new QuantizedWeights(dnnl, plainIntegers, descriptor.weights_desc(), outputs);
        List<Arg> scales = new ArrayList<>(List.of(Arg.scales(DNNL_ARG_SRC, inputScale),
                Arg.scales(DNNL_ARG_WEIGHTS, weights.scales())));
        if (outputScale != null) {
            scales.add(Arg.scales(DNNL_ARG_DST, outputScale));
        }
        this.convolution = new FusedPrimitive(dnnl, new convolution_forward(descriptor),
                new FoldedWeights(dnnl, weights, outputs), scales, activation, residual);
    }

    /** The activation scale of {@code range}, as a primitive reads it. */
    static memory scale(Dnnl dnnl, float range) {
        return dnnl.scalar(Quantization.activationScale(range));
    }

    /**
     * Attributes of an int8 convolution ending with {@code activation} and {@code residual} (null:
     * none): one input scale, one weight scale per output channel (over the group and filter
     * dimensions of grouped weights).
     */
    static primitive_attr attributes(Activation activation, ResidualPostOps residual, int groups) {
        primitive_attr attributes = FusedPrimitive.attributes(activation, residual);
        attributes.set_scales_mask(DNNL_ARG_SRC, 0);
        attributes.set_scales_mask(DNNL_ARG_WEIGHTS, groups == 1 ? 1 : (1 << 0) | (1 << 1));
        return attributes;
    }

    /**
     * The same for a convolution writing a quantised tensor: one output scale besides, applied
     * after every post-op, the residual's included.
     */
    static primitive_attr quantisingAttributes(Activation activation, ResidualPostOps residual, int groups) {
        primitive_attr attributes = attributes(activation, residual, groups);
        attributes.set_scales_mask(DNNL_ARG_DST, 0);
        return attributes;
    }

    /** The reorder from floats to the primitive's bytes, dividing by a scale given on each pass. */
    static reorder quantizer(Dnnl dnnl, memory.desc floats, memory.desc integers) {
        return dnnl.scalingReorder(floats, integers, DNNL_ARG_DST);
    }

    @Override
    public void forward(memory source, ParameterTensor weights, Epilogue epilogue, memory destination,
                        ActivationTensor output) {
        if (quantize == null) {
            convolution.forward(source, weights, epilogue, destination, output);
            return;
        }
        dnnl.execute(quantize, Arg.src(source), Arg.dst(quantized), Arg.scales(DNNL_ARG_DST, inputScale));
        convolution.forward(quantized, weights, epilogue, destination, output);
    }

    @Override
    public void close() {
        convolution.close();
        if (quantize != null) {
            quantize.close();
            quantized.close();
        }
        inputScale.close();
        if (outputScale != null) {
            outputScale.close();
        }
    }
}
