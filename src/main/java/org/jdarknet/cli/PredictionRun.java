package org.jdarknet.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;
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
 *
 * <p>Each named image is decoded on another thread while the one before it is classified, and
 * the first while the network loads: for a single image that decode (ImageIO's start-up
 * included) is a large part of the process, and loading the network leaves the second core idle;
 * for a list, decoding overlaps classifying (docs/benchmarks.md has the figures). An image's
 * error is still reported in its turn, the first one's after any problem with the network.
 */
final class PredictionRun {
    private final List<Path> images;
    private final int top;
    private final PredictionPrinter printer;
    private final long maxPixels;
    private final FutureTask<FloatImage> first;
    private int failures;

    private PredictionRun(List<Path> images, int top, PredictionPrinter printer, long maxPixels) {
        this.images = images;
        this.top = top;
        this.printer = printer;
        this.maxPixels = maxPixels;
        this.first = images.isEmpty() ? null : decodeAhead(images.get(0));
    }

    /**
     * A run over {@code images} (stdin's paths when empty) of at most {@code maxPixels} pixels
     * each, that starts decoding the first one now.
     */
    static PredictionRun start(List<Path> images, int top, OutputFormat format, long maxPixels) {
        boolean several = images.size() != 1;
        return new PredictionRun(List.copyOf(images), top, new PredictionPrinter(System.out, format, several), maxPixels);
    }

    /** Classifies every image; returns the process exit code: 0 when every image was classified, 1 otherwise. */
    int classifyAll(Classifier classifier) {
        Log.detail("preprocessing: " + classifier.preprocessing().cliName());
        if (images.isEmpty()) {
            classifyStdin(classifier);
        } else {
            FutureTask<FloatImage> next = first;
            for (int i = 0; i < images.size(); i++) {
                FutureTask<FloatImage> current = next;
                next = i + 1 < images.size() ? decodeAhead(images.get(i + 1)) : null;
                classifyOne(classifier, images.get(i), () -> join(current));
            }
        }
        return failures == 0 ? 0 : 1;
    }

    private FutureTask<FloatImage> decodeAhead(Path path) {
        FutureTask<FloatImage> task = new FutureTask<>(() -> ImageLoader.load(path, maxPixels));
        Thread decoder = new Thread(task, "image decoder");
        decoder.setDaemon(true); // abandoned when the network fails to load
        decoder.start();
        return task;
    }

    /** The decoded image, or the decoder's exception thrown here. */
    private static FloatImage join(FutureTask<FloatImage> task) {
        try {
            return task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException problem) {
                throw problem;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while decoding an image", e);
        }
    }

    private void classifyStdin(Classifier classifier) {
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
                    Path path = Path.of(line.strip());
                    classifyOne(classifier, path, () -> ImageLoader.load(path, maxPixels));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Classifies the image {@code decode} gives, or reports why it could not be decoded. */
    private void classifyOne(Classifier classifier, Path path, Supplier<FloatImage> decode) {
        try {
            float[] input = classifier.input(decode.get());
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
