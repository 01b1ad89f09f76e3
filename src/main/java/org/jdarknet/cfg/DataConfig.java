package org.jdarknet.cfg;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A darknet {@code .data} file: {@code classes}, {@code train}, {@code valid}, {@code labels},
 * {@code names}, {@code backup}, {@code top}. Relative paths stay relative to the working directory,
 * as darknet reads them.
 */
public record DataConfig(Path file, int classes, Optional<Path> train, Optional<Path> valid,
                         Optional<Path> labels, Optional<Path> names, Path backup, int top) {

    public static DataConfig read(Path file) {
        CfgSection options = CfgParser.parseFlat(file, "data");
        int classes = options.getInt("classes", 2);
        if (classes < 1) {
            throw options.error("classes", "must be at least 1, found " + classes);
        }
        DataConfig data = new DataConfig(file, classes,
                path(options, "train"), path(options, "valid"),
                path(options, "labels"), path(options, "names"),
                Path.of(options.getString("backup", "/backup/")),
                options.getInt("top", 1));
        options.warnAboutLeftovers(org.jdarknet.Log::warn);
        return data;
    }

    /** The file whose lines name the classes for printing: {@code names}, else {@code labels}. */
    public Optional<Path> namesOrLabels() {
        return names.isPresent() ? names : labels;
    }

    private static Optional<Path> path(CfgSection options, String key) {
        return Optional.ofNullable(options.getString(key, null)).map(Path::of);
    }
}
