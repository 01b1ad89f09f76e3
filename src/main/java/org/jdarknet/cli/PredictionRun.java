package org.jdarknet.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jdarknet.Log;
import org.jdarknet.classify.Classifier;
import org.jdarknet.classify.Prediction;
import org.jdarknet.image.FloatImage;
import org.jdarknet.image.ImageException;
import org.jdarknet.image.ImageLoader;

/**
 * Classifies the images named on the command line, or, as darknet does when none is named, the
 * paths read from stdin one per line. An image that cannot be read is reported and skipped; the
 * exit code then says that something failed.
 */
final class PredictionRun {
    private final Classifier classifier;
    private final int top;
    private final PredictionPrinter printer;
    private int failures;

    private PredictionRun(Classifier classifier, int top, PredictionPrinter printer) {
        this.classifier = classifier;
        this.top = top;
        this.printer = printer;
    }

    /** Returns the process exit code: 0 when every image was classified, 1 otherwise. */
    static int classifyAll(Classifier classifier, List<Path> images, int top, OutputFormat format) {
        boolean several = images.size() != 1;
        PredictionRun run = new PredictionRun(classifier, top, new PredictionPrinter(System.out, format, several));
        Log.detail("preprocessing: " + classifier.preprocessing().cliName());
        if (images.isEmpty()) {
            run.classifyStdin();
        } else {
            images.forEach(run::classifyOne);
        }
        return run.failures == 0 ? 0 : 1;
    }

    private void classifyStdin() {
        boolean interactive = System.console() != null;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            while (true) {
                if (interactive) {
                    System.err.print("Enter Image Path: ");
                    System.err.flush();
                }
                String line = in.readLine();
                if (line == null) {
                    return;
                }
                if (!line.isBlank()) {
                    classifyOne(Path.of(line.strip()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void classifyOne(Path path) {
        try {
            FloatImage image = ImageLoader.load(path);
            float[] input = classifier.input(image);
            long start = System.nanoTime();
            float[] probabilities = classifier.network().output(input);
            double seconds = (System.nanoTime() - start) / 1e9;
            List<Prediction> predictions = classifier.topPredictions(probabilities, top);
            Log.info(String.format(Locale.ROOT, "%s: Predicted in %f seconds.", path, seconds));
            printer.print(path.toString(), predictions, seconds);
        } catch (ImageException e) {
            failures++;
            Log.error(Main.oneLine(e.getMessage()));
        }
    }
}
