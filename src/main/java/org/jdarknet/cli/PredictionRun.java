package org.jdarknet.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdarknet.Log;
import org.jdarknet.classify.Classifier;
import org.jdarknet.classify.Prediction;
import org.jdarknet.image.ImageException;
import org.jdarknet.net.Network;

/**
 * Classifies the images named on the command line, or, as darknet does when none is named, the
 * paths read from stdin one per line. An image that cannot be read is reported and skipped; the
 * exit code then says that something failed.
 *
 * <p>Images are decoded a few ahead on their own threads ({@link DecodeAhead}), the first ones
 * while the network loads, and the network runs as many of them at a time as it was built for
 * ({@code --batch}). Results and errors still come in the order of the paths. A group shorter
 * than the batch (the last one, or stdin's paths arriving slower than they are classified) is
 * padded with blank images whose results are dropped, so the network is never rebuilt.
 */
final class PredictionRun {
    private final DecodeAhead images;
    private final int top;
    private final PredictionPrinter printer;
    private int failures;
    private int classified;

    private PredictionRun(DecodeAhead images, int top, PredictionPrinter printer) {
        this.images = images;
        this.top = top;
        this.printer = printer;
    }

    /**
     * A run over {@code images} (stdin's paths when empty) of at most {@code maxPixels} pixels
     * each, that starts decoding the first ones now, into the network's input by {@code early}
     * where it can ({@link EarlyInputs}; null: none).
     */
    static PredictionRun start(List<Path> images, int top, OutputFormat format, long maxPixels,
                               DecodeAhead.InputFromFile early) {
        boolean several = images.size() != 1;
        ImagePaths paths = images.isEmpty() ? ImagePaths.stdin() : ImagePaths.of(List.copyOf(images));
        return new PredictionRun(new DecodeAhead(paths, DecodeAhead.defaultThreads(), maxPixels, early), top,
                new PredictionPrinter(System.out, format, several));
    }

    /**
     * Classifies every image; returns the process exit code: 0 when every image was classified, 1
     * otherwise. With more than one image it ends by saying how many it classified per second,
     * counted from the network being ready (decoding, preprocessing and forward passes).
     */
    int classifyAll(Classifier classifier) {
        Log.detail("preprocessing: " + classifier.preprocessing().cliName());
        int batch = classifier.network().inputShape().n();
        long start = System.nanoTime();
        boolean betweenPasses = computesOnEveryCore(classifier);
        Log.detail("images are decoded " + (betweenPasses ? "between forward passes (they take every core)"
                : "beside the forward passes (they leave cores free)"));
        images.prepareInputs(classifier::input, batch, betweenPasses);
        try (images) {
            for (List<DecodeAhead.Decoded> group = nextGroup(batch); !group.isEmpty(); group = nextGroup(batch)) {
                classifyGroup(classifier, group);
            }
        }
        if (classified + failures > 1) {
            double seconds = (System.nanoTime() - start) / 1e9;
            Log.info(String.format(Locale.ROOT, "classified %d images in %.3f seconds: %.1f images/s (batch %d)",
                    classified, seconds, classified / seconds, batch));
        }
        return failures == 0 ? 0 : 1;
    }

    /** Whether the forward passes keep all of this machine's cores busy, so that decoding must wait for them. */
    private static boolean computesOnEveryCore(Classifier classifier) {
        return classifier.network().backend().hostThreads() >= Runtime.getRuntime().availableProcessors();
    }

    /**
     * The next images in order, up to {@code batch} that decoded (and any that did not among
     * them): waits for the first, then takes only those already under way.
     */
    private List<DecodeAhead.Decoded> nextGroup(int batch) {
        List<DecodeAhead.Decoded> group = new ArrayList<>();
        int decoded = 0;
        while (decoded < batch && (group.isEmpty() || images.hasNextUnderWay())) {
            Optional<DecodeAhead.Decoded> next = images.next();
            if (next.isEmpty()) {
                break;
            }
            group.add(next.get());
            decoded += next.get().problem() == null ? 1 : 0;
        }
        return group;
    }

    /** Prints each image's classes, or why it could not be decoded, in order. */
    private void classifyGroup(Classifier classifier, List<DecodeAhead.Decoded> group) {
        List<DecodeAhead.Decoded> decoded = group.stream().filter(image -> image.problem() == null).toList();
        long start = System.nanoTime();
        float[][] outputs = decoded.isEmpty() ? new float[0][] : forward(classifier, decoded);
        double seconds = decoded.isEmpty() ? 0 : (System.nanoTime() - start) / 1e9 / decoded.size();
        int next = 0;
        for (DecodeAhead.Decoded image : group) {
            if (image.problem() != null) {
                report(image.problem());
                continue;
            }
            List<Prediction> predictions = classifier.topPredictions(outputs[next++], top);
            classified++;
            Log.info(image.path() + ": Predicted in " + CFormat.fixed(seconds, 0, 6) + " seconds.");
            printer.print(image.path().toString(), predictions, seconds);
        }
    }

    private void report(ImageException problem) {
        failures++;
        Log.error(Main.oneLine(problem.getMessage()));
    }

    /** The network's outputs for each image, all in one pass; the batch's unused places stay blank. */
    private static float[][] forward(Classifier classifier, List<DecodeAhead.Decoded> decoded) {
        Network network = classifier.network();
        int batch = network.inputShape().n();
        int size = network.inputShape().itemSize();
        float[] input = new float[batch * size];
        for (int i = 0; i < decoded.size(); i++) {
            System.arraycopy(decoded.get(i).input(classifier::input), 0, input, i * size, size);
        }
        float[] output = network.output(input);
        int outputs = output.length / batch;
        float[][] each = new float[decoded.size()][];
        for (int i = 0; i < each.length; i++) {
            each[i] = Arrays.copyOfRange(output, i * outputs, (i + 1) * outputs);
        }
        return each;
    }
}
