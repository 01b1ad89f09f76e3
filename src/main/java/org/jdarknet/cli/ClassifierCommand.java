package org.jdarknet.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jdarknet.Log;
import org.jdarknet.backend.Backend;
import org.jdarknet.backend.Precision;
import org.jdarknet.calibration.Calibration;
import org.jdarknet.cfg.DataConfig;
import org.jdarknet.classify.Classifier;
import org.jdarknet.classify.Labels;
import org.jdarknet.data.Batch;
import org.jdarknet.data.Dataset;
import org.jdarknet.image.ImageLoader;
import org.jdarknet.image.Preprocessing;
import org.jdarknet.train.Evaluation;
import org.jdarknet.train.TrainingOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jdarknet classifier ...}: darknet's classifier commands, spelled as darknet spells them. */
@Command(name = "classifier", mixinStandardHelpOptions = true,
        description = "Darknet's classifier commands: predict, train, valid.",
        subcommands = {ClassifierCommand.Predict.class, ClassifierCommand.Train.class, ClassifierCommand.Valid.class})
final class ClassifierCommand {

    /** {@code classifier predict DATA CFG WEIGHTS [IMAGE] [-t N]}. */
    @Command(name = "predict", mixinStandardHelpOptions = true,
            description = {"Prints the top classes of an image, as 'darknet classifier predict' does.",
                    "With no IMAGE, reads image paths from stdin."})
    static final class Predict implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DATA", description = "Darknet .data file (names=, labels=, top=).")
        Path data;

        @Parameters(index = "1", paramLabel = "CFG")
        Path cfg;

        @Parameters(index = "2", paramLabel = "WEIGHTS")
        Path weights;

        @Parameters(index = "3..*", paramLabel = "IMAGE")
        List<Path> images = new ArrayList<>();

        @Option(names = "-t", paramLabel = "N", description = "Classes to print (default: the .data file's top=, else 1).")
        Integer top;

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text, csv or json.")
        OutputFormat format;

        @Mixin
        ImageOptions imageOptions;

        @Mixin
        BackendOptions backendOptions;

        @Mixin
        PrecisionOptions precisionOptions;

        @Override
        public Integer call() {
            Precision precision = precisionOptions.precision();
            DataConfig dataConfig = DataConfig.read(Resources.locate(data));
            int count = top != null ? top : dataConfig.top();
            Classifiers.requirePositive(count, "-t");
            PredictionRun run = PredictionRun.start(images, count, format, imageOptions.maxPixels(),
                    new EarlyInputs(cfg, Preprocessing.LETTERBOX));
            Labels labels = LabelOrder.reconcile(Classifiers.labels(dataConfig), data.toString(), cfg, weights);
            Calibration calibration = precisionOptions.calibration(precision, cfg, weights, backendOptions, Preprocessing.LETTERBOX,
                    imageOptions.maxPixels());
            try (Backend backend = backendOptions.create(precision);
                 Classifier classifier = Classifier.load(cfg, weights, labels, backend, 1, calibration)) {
                return run.classifyAll(classifier);
            }
        }
    }

    /** {@code classifier train DATA CFG [WEIGHTS] [-clear]}: darknet's training from a .data file and image lists. */
    @Command(name = "train", mixinStandardHelpOptions = true,
            description = {"Trains a classifier as 'darknet classifier train' does: images listed in the .data file's",
                    "train=, classes matched as substrings of their paths against labels=, checkpoints in backup=."})
    static final class Train implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DATA")
        Path data;

        @Parameters(index = "1", paramLabel = "CFG")
        Path cfg;

        @Parameters(index = "2", arity = "0..1", paramLabel = "WEIGHTS", description = "Start from these weights (partial files too).")
        Path weights;

        @Mixin
        TrainingCommandOptions trainingOptions;

        @Mixin
        BackendOptions backendOptions;

        @Mixin
        ReplicaOptions replicaOptions;

        @Override
        public Integer call() {
            DataConfig dataConfig = DataConfig.read(data);
            Dataset training = Dataset.fromDataConfig(dataConfig, Dataset.Split.TRAIN, Log::warn);
            Optional<Dataset> validation = dataConfig.valid()
                    .map(list -> Dataset.fromDataConfig(dataConfig, Dataset.Split.VALID, Log::warn));
            TrainingOptions options = trainingOptions.toOptions(dataConfig.backup(), TrainingOptions.baseName(cfg), false);
            try (ReplicaBackends backends = replicaOptions.create(backendOptions)) {
                return TrainingRun.train(cfg, Optional.ofNullable(weights), trainingOptions.clear, training, validation,
                        options, backends);
            }
        }
    }

    /**
     * {@code classifier valid DATA CFG WEIGHTS}: darknet's validation ({@code validate_classifier_single}:
     * centre crop, one line per image with the running top-1/top-k), then a per-class summary.
     */
    @Command(name = "valid", mixinStandardHelpOptions = true,
            description = {"Measures accuracy on the .data file's valid= list as 'darknet classifier valid' does,",
                    "then prints per-class accuracy and the most frequent confusions."})
    static final class Valid implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DATA")
        Path data;

        @Parameters(index = "1", paramLabel = "CFG")
        Path cfg;

        @Parameters(index = "2", paramLabel = "WEIGHTS")
        Path weights;

        @Mixin
        BackendOptions backendOptions;

        @Mixin
        PrecisionOptions precisionOptions;

        @Override
        public Integer call() {
            Precision precision = precisionOptions.precision();
            DataConfig dataConfig = DataConfig.read(data);
            List<String> given = Dataset.labels(dataConfig, Log::warn);
            List<String> labels = LabelOrder.trainedInstead(given, data.toString(), cfg, weights)
                    .map(Labels::asList).orElse(given);
            Dataset dataset = Dataset.fromDataConfig(dataConfig, Dataset.Split.VALID, labels, Log::warn);
            Calibration calibration = precisionOptions.calibration(precision, cfg, weights, backendOptions,
                    ValidationRun.PREPROCESSING, ImageLoader.DEFAULT_MAX_PIXELS);
            try (Backend backend = backendOptions.create(precision)) {
                Evaluation evaluation = ValidationRun.evaluate(cfg, weights, calibration, dataset, dataConfig.top(), backend,
                        Valid::printDarknetLines);
                evaluation.summary(dataset.classNames(), ValidationRun.CONFUSIONS_SHOWN).forEach(System.out::println);
                return 0;
            }
        }

        /** Darknet's two lines per image: path, class, the first two outputs; then the running accuracies. */
        private static void printDarknetLines(Batch batch, int item, float[] predictions, Evaluation soFar) {
            System.out.println(batch.paths().get(item) + ", " + batch.labels()[item] + ", "
                    + CFormat.fixed(predictions[0], 0, 6) + ", " + CFormat.fixed(predictions.length > 1 ? predictions[1] : 0, 0, 6)
                    + ", ");
            System.out.println((soFar.images() - 1) + ": top 1: " + CFormat.fixed(soFar.top1(), 0, 6) + ", top "
                    + soFar.k() + ": " + CFormat.fixed(soFar.topK(), 0, 6));
        }
    }
}
