package org.jdarknet.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jdarknet.Log;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.Precision;
import org.jdarknet.calibration.Calibration;
import org.jdarknet.classify.Labels;
import org.jdarknet.data.Dataset;
import org.jdarknet.image.ImageLoader;
import org.jdarknet.train.Evaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jdarknet valid CFG WEIGHTS --data DIR}: the accuracy on class folders, the counterpart of {@code train}. */
@Command(name = "valid", mixinStandardHelpOptions = true,
        description = {"Measures top-1/top-k accuracy on a folder with one sub-folder of images per",
                "class, then prints per-class accuracy and the most frequent confusions.",
                "Classes are numbered as the class list training wrote beside the weights",
                "(<cfg>.labels.list) says, else in sorted folder order, as train numbers them."})
final class ValidCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CFG", description = "Network description (.cfg).")
    Path cfg;

    @Parameters(index = "1", paramLabel = "WEIGHTS", description = "Darknet weights file.")
    Path weights;

    @Option(names = "--data", paramLabel = "DIR", required = true, description = "Images to measure: DIR/<class>/<images>.")
    Path data;

    @Option(names = "--labels", paramLabel = "FILE",
            description = "The class names in the order of the network's outputs (default: the class list beside the weights).")
    Path labels;

    @Option(names = "--top", paramLabel = "K", defaultValue = "5", description = "The k of top-k accuracy (default: 5).")
    int top;

    @Mixin
    BackendOptions backendOptions;

    @Mixin
    PrecisionOptions precisionOptions;

    @Override
    public Integer call() {
        Classifiers.requirePositive(top, "--top");
        Precision precision = precisionOptions.precision();
        Dataset dataset = dataset();
        Calibration calibration = precisionOptions.calibration(precision, cfg, weights, backendOptions,
                ValidationRun.PREPROCESSING, ImageLoader.DEFAULT_MAX_PIXELS);
        try (Backend backend = backendOptions.create(precision)) {
            Evaluation evaluation = ValidationRun.evaluate(cfg, weights, calibration, dataset, top, backend,
                    (batch, item, p, soFar) -> { });
            evaluation.summary(dataset.classNames(), ValidationRun.CONFUSIONS_SHOWN).forEach(System.out::println);
            return 0;
        }
    }

    private Dataset dataset() {
        if (labels != null) {
            Labels order = LabelOrder.reconcile(Labels.read(labels), labels.toString(), cfg, weights);
            return Dataset.fromFolders(data, order.asList(), Log::warn);
        }
        return LabelOrder.besideWeights(cfg, weights)
                .map(order -> Dataset.fromFolders(data, order.asList(), Log::warn))
                .orElseGet(() -> {
                    Log.info("no class list beside " + weights + ": the classes are the folders of " + data
                            + " in sorted order, as 'jdarknet train' numbers them");
                    return Dataset.fromFolders(data, Log::warn);
                });
    }
}
