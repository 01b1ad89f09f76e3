package org.jdarknet.cli;

import java.nio.file.Path;
import org.jdarknet.cfg.DataConfig;
import org.jdarknet.classify.Labels;

/** Helpers the classifier commands share: where the class names come from. */
final class Classifiers {

    private Classifiers() {
    }

    /** Names from {@code --labels} if given, else the {@code names} (or {@code labels}) entry of the .data file. */
    static Labels labels(Path labelsOption, Path dataFile) {
        if (labelsOption != null) {
            return Labels.read(labelsOption);
        }
        DataConfig data = DataConfig.read(Resources.locate(dataFile));
        Path names = data.namesOrLabels().orElseThrow(() -> new IllegalArgumentException(
                data.file() + ": has no class names (names= or labels=); pass --labels FILE"));
        return Labels.read(Resources.locate(names));
    }

    static void requirePositive(int value, String option) {
        if (value < 1) {
            throw new IllegalArgumentException(option + " must be at least 1, found " + value);
        }
    }
}
