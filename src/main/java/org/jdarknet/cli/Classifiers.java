package org.jdarknet.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jdarknet.UsageException;
import org.jdarknet.cfg.CfgException;
import org.jdarknet.cfg.DataConfig;
import org.jdarknet.classify.Labels;
import org.jdarknet.classify.LabelsException;

/** Helpers the classifier commands share: where the class names come from. */
final class Classifiers {

    private Classifiers() {
    }

    /** Names from {@code --labels} if given, else those the .data file names. */
    static Labels labels(Path labelsOption, Path dataFile) {
        return labelsOption != null ? Labels.read(labelsOption) : labels(DataConfig.read(Resources.locate(dataFile)));
    }

    /** The {@code names} (or else {@code labels}) file of a .data file, as darknet's classifier reads it. */
    static Labels labels(DataConfig data) {
        Path names = data.namesOrLabels().orElseThrow(() -> new CfgException(data.file(),
                "has no class names (names= or labels=); pass --labels FILE"));
        Path located = Resources.locate(names);
        if (!Files.exists(located)) {
            throw new LabelsException(names, "class names file not found (named in " + data.file() + ")");
        }
        return Labels.read(located);
    }

    static void requirePositive(int value, String option) {
        if (value < 1) {
            throw new UsageException(option + " must be at least 1, found " + value);
        }
    }
}
