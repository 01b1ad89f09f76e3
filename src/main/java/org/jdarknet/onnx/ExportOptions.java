package org.jdarknet.onnx;

import java.util.List;
import java.util.OptionalInt;
import java.util.function.IntFunction;
import org.jdarknet.UsageException;
import org.jdarknet.image.Preprocessing;

/**
 * How a network is exported.
 *
 * @param batch          the model's batch size; empty for a dynamic one (a named dimension)
 * @param opset          the ONNX operator set version, {@value OnnxExporter#MIN_OPSET} to {@value OnnxExporter#MAX_OPSET}
 * @param foldBatchNorm  batch norm folded into the weights and biases (else kept as BatchNormalization nodes)
 * @param preprocessing  how images become the input, recorded in the metadata
 * @param classNames     the class of each output, recorded in the metadata; empty when unknown
 * @param inputRanges    the calibrated input range (largest |x|) of each layer, by index, whose
 *                       convolution is to be quantised to int8 (a QDQ model); NaN keeps a layer in
 *                       fp32, as {@link #FP32} keeps them all
 * @param outputRanges   the calibrated range of each quantised convolution's output before its
 *                       activation (after batch norm and the bias), by layer index: the model then
 *                       quantises that output too, which lets ONNX Runtime fuse the convolution into
 *                       an integer QLinearConv (docs/precision.md); NaN leaves it in float
 */
public record ExportOptions(OptionalInt batch, int opset, boolean foldBatchNorm, Preprocessing preprocessing,
                            List<String> classNames, IntFunction<Float> inputRanges, IntFunction<Float> outputRanges) {
    /** No calibrated range for any layer: an fp32 model. */
    public static final IntFunction<Float> FP32 = layer -> Float.NaN;

    public ExportOptions {
        if (batch.isPresent() && batch.getAsInt() < 1) {
            throw new UsageException("the batch size must be at least 1, found " + batch.getAsInt());
        }
        if (opset < OnnxExporter.MIN_OPSET || opset > OnnxExporter.MAX_OPSET) {
            throw new UsageException("opset " + opset + " is not supported: jdarknet exports opsets "
                    + OnnxExporter.MIN_OPSET + " to " + OnnxExporter.MAX_OPSET);
        }
        classNames = List.copyOf(classNames);
    }

    /** One image, opset {@value OnnxExporter#DEFAULT_OPSET}, batch norm folded, letterbox, no class names, fp32. */
    public static ExportOptions defaults() {
        return new ExportOptions(OptionalInt.of(1), OnnxExporter.DEFAULT_OPSET, true, Preprocessing.LETTERBOX, List.of(),
                FP32, FP32);
    }

    public ExportOptions withBatch(OptionalInt newBatch) {
        return new ExportOptions(newBatch, opset, foldBatchNorm, preprocessing, classNames, inputRanges, outputRanges);
    }

    public ExportOptions withOpset(int newOpset) {
        return new ExportOptions(batch, newOpset, foldBatchNorm, preprocessing, classNames, inputRanges, outputRanges);
    }

    public ExportOptions withFoldBatchNorm(boolean fold) {
        return new ExportOptions(batch, opset, fold, preprocessing, classNames, inputRanges, outputRanges);
    }

    public ExportOptions withPreprocessing(Preprocessing newPreprocessing) {
        return new ExportOptions(batch, opset, foldBatchNorm, newPreprocessing, classNames, inputRanges, outputRanges);
    }

    public ExportOptions withClassNames(List<String> names) {
        return new ExportOptions(batch, opset, foldBatchNorm, preprocessing, names, inputRanges, outputRanges);
    }

    /** The convolutions of the layers {@code ranges} gives a range quantised to int8 with it (NaN: fp32). */
    public ExportOptions withInputRanges(IntFunction<Float> ranges) {
        return new ExportOptions(batch, opset, foldBatchNorm, preprocessing, classNames, ranges, outputRanges);
    }

    /**
     * The quantised convolutions' outputs before the activation quantised with the range {@code ranges}
     * gives each layer (NaN: left in float); only convolutions with an input range have one.
     */
    public ExportOptions withOutputRanges(IntFunction<Float> ranges) {
        return new ExportOptions(batch, opset, foldBatchNorm, preprocessing, classNames, inputRanges, ranges);
    }
}
