package org.jdarknet.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jdarknet.backend.Backend;
import org.jdarknet.cfg.DataConfig;
import org.jdarknet.classify.Classifier;
import org.jdarknet.classify.Labels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jdarknet classifier ...}: darknet's classifier commands, spelled as darknet spells them. */
@Command(name = "classifier", mixinStandardHelpOptions = true,
        description = "Darknet's classifier commands: predict.",
        subcommands = {ClassifierCommand.Predict.class})
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
        BackendOptions backendOptions;

        @Override
        public Integer call() {
            DataConfig dataConfig = DataConfig.read(Resources.locate(data));
            int count = top != null ? top : dataConfig.top();
            Classifiers.requirePositive(count, "-t");
            Labels labels = Classifiers.labels(dataConfig);
            Backend backend = backendOptions.create();
            try (Classifier classifier = Classifier.load(cfg, weights, labels, backend)) {
                return PredictionRun.classifyAll(classifier, images, count, format);
            } finally {
                backend.close();
            }
        }
    }
}
