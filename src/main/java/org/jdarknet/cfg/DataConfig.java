package org.jdarknet.cfg;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A darknet {@code .data} file: {@code classes}, {@code train}, {@code valid}, {@code labels},
 * {@code names}, {@code backup}, {@code top}. Relative paths stay relative to the working directory,
 * as darknet reads them. Defaults are darknet's classifier's: 2 classes, {@code backup=/backup/},
 * {@code top=1}.
 */
public record DataConfig(Path file, int classes, Optional<Path> train, Optional<Path> valid,
                         Optional<Path> labels, Optional<Path> names, Path backup, int top) {

    public static DataConfig read(Path file) {
        CfgSection options = CfgParser.parseFlat(file, "data");
        DataConfig data = new DataConfig(file, positive(options, "classes", 2),
                path(options, "train"), path(options, "valid"),
                path(options, "labels"), path(options, "names"),
                Path.of(options.getString("backup", "/backup/")),
                positive(options, "top", 1));
        options.warnAboutLeftovers(org.jdarknet.Log::warn);
        return data;
    }

    /** The file whose lines name the classes for printing: {@code names}, else {@code labels}. */
    public Optional<Path> namesOrLabels() {
        return names.isPresent() ? names : labels;
    }

    private static int positive(CfgSection options, String key, int fallback) {
        int value = options.getInt(key, fallback);
        if (value < 1) {
            throw options.error(key, "must be at least 1, found " + value);
        }
        return value;
    }

    private static Optional<Path> path(CfgSection options, String key) {
        return Optional.ofNullable(options.getString(key, null)).map(Path::of);
    }
}
