package org.jdarknet.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.jdarknet.Log;
import org.jdarknet.UsageException;
import org.jdarknet.backend.Precision;
import org.jdarknet.backend.reference.ReferenceBackend;
import org.jdarknet.calibration.Calibration;
import org.jdarknet.image.ImageLoader;
import org.jdarknet.image.Preprocessing;
import org.jdarknet.net.Network;
import org.jdarknet.onnx.ExportOptions;
import org.jdarknet.onnx.OnnxExporter;
import org.jdarknet.weights.WeightsReader;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jdarknet export CFG WEIGHTS OUT.onnx}: the network as an ONNX model, for ONNX Runtime, TensorRT, OpenVINO, ... */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Writes the network with its weights as an ONNX model computing what jdarknet computes.",
                "Input 'input' (N x C x H x W, the preprocessed image), output 'output' (N x outputs); the "
                        + "preprocessing and the class names are in the model's metadata.",
                "--precision int8 writes a QDQ model: each convolution but the classifier head quantised as "
                        + "jdarknet's int8 path quantises it, and its output before the activation quantised too, so "
                        + "that ONNX Runtime runs it on integers (--calibrate measures with --backend and --threads)."})
final class ExportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CFG", description = "Network description (.cfg).")
    Path cfg;

    @Parameters(index = "1", paramLabel = "WEIGHTS", description = "Darknet weights file.")
    Path weights;

    @Parameters(index = "2", paramLabel = "OUT", description = "The ONNX model to write (.onnx).")
    Path out;

    @Option(names = "--batch", paramLabel = "N|dynamic", defaultValue = "1",
            description = "Images per run: a number, or 'dynamic' for any (default: 1).")
    String batch;

    @Option(names = "--opset", paramLabel = "K", defaultValue = "" + OnnxExporter.DEFAULT_OPSET,
            description = "ONNX operator set, " + OnnxExporter.MIN_OPSET + " to " + OnnxExporter.MAX_OPSET
                    + " (default: ${DEFAULT-VALUE}).")
    int opset;

    @Option(names = "--batchnorm", paramLabel = "fold|keep", defaultValue = "fold",
            description = "Batch norm folded into the weights and biases, or kept as BatchNormalization nodes "
                    + "(default: fold).")
    String batchNorm;

    @Option(names = "--preprocess", paramLabel = "MODE", defaultValue = "letterbox",
            description = "The preprocessing recorded in the metadata: letterbox (darknet classify's), resize, "
                    + "resize-min-crop, center-crop. Default: letterbox.")
    String preprocess;

    @ArgGroup(exclusive = true)
    Names names;

    @Mixin
    PrecisionOptions precisionOptions;

    @Mixin
    BackendOptions backendOptions;

    /** Where the class names come from: at most one of the two. */
    static final class Names {
        @Option(names = "--data", paramLabel = "FILE", description = "Darknet .data file naming the class names.")
        Path data;

        @Option(names = "--labels", paramLabel = "FILE", description = "Class names, one per line.")
        Path labels;
    }

    @Override
    public Integer call() {
        Preprocessing preprocessing = Preprocessing.byName(preprocess);
        ExportOptions options = new ExportOptions(batchSize(), opset, foldBatchNorm(), preprocessing, classNames(),
                ExportOptions.FP32, ExportOptions.FP32);
        Precision precision = precisionOptions.precision();
        if (precision == Precision.BF16) {
            throw new UsageException("export --precision bf16 is not offered: the model is fp32 or int8 (QDQ)");
        }
        if (precision == Precision.INT8 && !options.foldBatchNorm()) {
            throw new UsageException("--precision int8 quantises the weights with batch norm folded in: drop --batchnorm keep");
        }
        Calibration calibration = precisionOptions.calibration(precision, cfg, weights, backendOptions, preprocessing,
                ImageLoader.DEFAULT_MAX_PIXELS);
        try (Network network = Network.build(cfg, new ReferenceBackend(), 1, calibration)) {
            WeightsReader.load(network, weights);
            OnnxExporter.write(network, quantised(options, network, calibration), out);
            Log.info("Wrote " + out + " (" + network.layers().size() + " darknet layers, opset " + opset + ", batch "
                    + batch + ")");
        }
        return 0;
    }

    /**
     * The ranges {@code network}'s convolutions were built with (none in fp32), and for int8 each one's
     * pre-activation range, without which ONNX Runtime runs the convolutions in float: a calibration
     * file of the first format lacks them, which is said.
     */
    private static ExportOptions quantised(ExportOptions options, Network network, Calibration calibration) {
        ExportOptions quantised = options.withInputRanges(OnnxExporter.calibratedRanges(network));
        if (calibration == null) {
            return quantised;
        }
        if (!calibration.hasPreActivationRanges()) {
            Log.warn(calibration.source() + ": no ranges before the activations (calibration format 1), so the "
                    + "convolutions' outputs stay float and ONNX Runtime runs them as float convolutions; recalibrate "
                    + "(jdarknet calibrate CFG WEIGHTS IMAGES --out FILE) for a model it runs on integers");
            return quantised;
        }
        return quantised.withOutputRanges(calibration::preActivationRange);
    }

    private OptionalInt batchSize() {
        if (batch.toLowerCase(Locale.ROOT).equals("dynamic")) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(batch));
        } catch (NumberFormatException e) {
            throw new UsageException("--batch: expected a number or 'dynamic', found '" + batch + "'");
        }
    }

    private boolean foldBatchNorm() {
        return switch (batchNorm) {
            case "fold" -> true;
            case "keep" -> false;
            default -> throw new UsageException("--batchnorm: expected fold or keep, found '" + batchNorm + "'");
        };
    }

    private List<String> classNames() {
        if (names == null) {
            return List.of();
        }
        return Classifiers.labels(names.labels, names.data).asList();
    }
}
