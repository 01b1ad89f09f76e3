package org.jdarknet.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds files darknet looks for relative to the working directory ({@code cfg/imagenet1k.data},
 * the {@code data/} lists it names). When they are not there we also look in jdarknet's own
 * directory, so {@code jdarknet classify} works from anywhere.
 */
final class Resources {
    private static final String HOME_PROPERTY = "jdarknet.home";

    private Resources() {
    }

    /** {@code path} as given if it exists (or is absolute), else under jdarknet's home when it exists there. */
    static Path locate(Path path) {
        if (path.isAbsolute() || Files.exists(path)) {
            return path;
        }
        String home = System.getProperty(HOME_PROPERTY);
        if (home != null) {
            Path installed = Path.of(home).resolve(path);
            if (Files.exists(installed)) {
                return installed;
            }
        }
        return path;
    }
}
