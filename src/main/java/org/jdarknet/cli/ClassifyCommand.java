package org.jdarknet.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.Precision;
import org.jdarknet.calibration.Calibration;
import org.jdarknet.classify.Classifier;
import org.jdarknet.classify.Labels;
import org.jdarknet.image.Preprocessing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jdarknet classify CFG WEIGHTS [IMAGE...]}: darknet's {@code classify}, top-5 ImageNet classes. */
@Command(name = "classify", mixinStandardHelpOptions = true,
        description = {"Prints the most likely classes of each image, as 'darknet classify' does.",
                "With no IMAGE, reads image paths from stdin, one per line."})
final class ClassifyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CFG", description = "Network description (.cfg).")
    Path cfg;

    @Parameters(index = "1", paramLabel = "WEIGHTS", description = "Darknet weights file.")
    Path weights;

    @Parameters(index = "2..*", paramLabel = "IMAGE", description = "Images to classify.")
    List<Path> images = new ArrayList<>();

    @Option(names = {"-t", "--top"}, paramLabel = "N", defaultValue = "5", description = "Classes per image (default: 5).")
    int top;

    @Option(names = "--data", paramLabel = "FILE", defaultValue = "cfg/imagenet1k.data",
            description = "Darknet .data file naming the class names (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--labels", paramLabel = "FILE", description = "Class names, one per line (overrides --data).")
    Path labels;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Output: text (darknet's), csv or json (one object per line). Default: text.")
    OutputFormat format;

    @Option(names = "--preprocess", paramLabel = "MODE", defaultValue = "letterbox",
            description = "How images become the network's input: letterbox (darknet classify's), resize, "
                    + "resize-min-crop, center-crop. Default: letterbox.")
    String preprocess;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "1",
            description = "Images per forward pass; results are the same as one at a time (default: 1).")
    int batch;

    @Mixin
    ImageOptions imageOptions;

    @Mixin
    BackendOptions backendOptions;

    @Mixin
    PrecisionOptions precisionOptions;

    @Override
    public Integer call() {
        Classifiers.requirePositive(top, "--top");
        Classifiers.requirePositive(batch, "--batch");
        Preprocessing preprocessing = Preprocessing.byName(preprocess);
        Precision precision = precisionOptions.precision();
        PredictionRun run = PredictionRun.start(images, top, format, imageOptions.maxPixels(),
                new EarlyInputs(cfg, preprocessing));
        Labels names = LabelOrder.reconcile(Classifiers.labels(labels, data), (labels != null ? labels : data).toString(),
                cfg, weights);
        Calibration calibration = precisionOptions.calibration(precision, cfg, weights, backendOptions, preprocessing,
                imageOptions.maxPixels());
        try (Backend backend = backendOptions.create(precision);
             Classifier classifier = Classifier.load(cfg, weights, names, backend, batch, calibration)) {
            classifier.setPreprocessing(preprocessing);
            return run.classifyAll(classifier);
        }
    }
}
