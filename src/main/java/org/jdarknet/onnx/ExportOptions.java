package org.jdarknet.onnx;

import java.util.List;
import java.util.OptionalInt;
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
 */
public record ExportOptions(OptionalInt batch, int opset, boolean foldBatchNorm, Preprocessing preprocessing,
                            List<String> classNames) {

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

    /** One image, opset {@value OnnxExporter#DEFAULT_OPSET}, batch norm folded, letterbox, no class names. */
    public static ExportOptions defaults() {
        return new ExportOptions(OptionalInt.of(1), OnnxExporter.DEFAULT_OPSET, true, Preprocessing.LETTERBOX, List.of());
    }

    public ExportOptions withBatch(OptionalInt newBatch) {
        return new ExportOptions(newBatch, opset, foldBatchNorm, preprocessing, classNames);
    }

    public ExportOptions withOpset(int newOpset) {
        return new ExportOptions(batch, newOpset, foldBatchNorm, preprocessing, classNames);
    }

    public ExportOptions withFoldBatchNorm(boolean fold) {
        return new ExportOptions(batch, opset, fold, preprocessing, classNames);
    }

    public ExportOptions withPreprocessing(Preprocessing newPreprocessing) {
        return new ExportOptions(batch, opset, foldBatchNorm, newPreprocessing, classNames);
    }

    public ExportOptions withClassNames(List<String> names) {
        return new ExportOptions(batch, opset, foldBatchNorm, preprocessing, names);
    }
}
