package org.jdarknet.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jdarknet.Log;
import org.jdarknet.classify.Labels;
import org.jdarknet.train.ClassFolderFiles;
import org.jdarknet.train.TrainingOptions;

/**
 * The label-order trap: a network trained on class folders numbers its outputs in the sorted
 * folder order it writes to {@code <cfg>.labels.list} beside the weights, while a data set's own
 * label file often lists the same classes in another order. Read in that other order every output
 * is named wrongly and accuracy falls to a fraction, silently. When the names given are the same
 * as the class list beside the weights in another order, the class list wins (the outputs follow
 * it) and one warning shows both orders; names that are not the same set (display names, another
 * task) and weights with no class list beside them are used as given.
 */
final class LabelOrder {
    private static final int NAMES_SHOWN = 12;

    private LabelOrder() {
    }

    /** The class list training wrote beside these weights of this cfg, if there is one. */
    static Optional<Labels> besideWeights(Path cfg, Path weights) {
        Path directory = weights.toAbsolutePath().getParent();
        Path file = ClassFolderFiles.classList(directory, TrainingOptions.baseName(cfg));
        return Files.isRegularFile(file) ? Optional.of(Labels.read(file)) : Optional.empty();
    }

    /** {@code given} (read from {@code source}), or the class list beside the weights when it holds the same names in another order. */
    static Labels reconcile(Labels given, String source, Path cfg, Path weights) {
        return trainedInstead(given.asList(), source, cfg, weights).orElse(given);
    }

    /** The class list beside the weights, with the warning, when {@code given} holds its names in another order. */
    static Optional<Labels> trainedInstead(List<String> given, String source, Path cfg, Path weights) {
        return besideWeights(cfg, weights).filter(trained -> isReordering(given, trained.asList()))
                .map(trained -> {
                    warn(given, source, trained);
                    return trained;
                });
    }

    private static boolean isReordering(List<String> given, List<String> trained) {
        return !given.equals(trained) && given.stream().sorted().toList().equals(trained.stream().sorted().toList());
    }

    private static void warn(List<String> given, String source, Labels trained) {
        int first = 0;
        while (given.get(first).equals(trained.asList().get(first))) {
            first++;
        }
        Log.warn("the class names of " + source + " are the " + given.size() + " of " + trained.file()
                + " in another order; using the order training wrote, which the network's outputs follow"
                + " (remove that file if it does not belong to these weights). Given: " + shown(given, first)
                + "; trained: " + shown(trained.asList(), first));
    }

    /** Up to {@link #NAMES_SHOWN} names from the first position where the orders differ. */
    private static String shown(List<String> names, int first) {
        int end = Math.min(names.size(), first + NAMES_SHOWN);
        return (first > 0 ? "(from class " + first + ") " : "") + String.join(", ", names.subList(first, end))
                + (end < names.size() ? ", ... (" + names.size() + " in all)" : "");
    }
}
