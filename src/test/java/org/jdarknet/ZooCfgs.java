package org.jdarknet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Zoo cfgs at a reduced input size, for tests that run the large models on the plain-Java
 * reference backend: a copy of the cfg whose [net] says another width and height. Every layer is
 * still exercised (at 64×64, five downsamplings leave 2×2 cells), only on fewer cells.
 */
public final class ZooCfgs {
    private static Path directory;

    private ZooCfgs() {
    }

    /** {@code cfg/MODEL.cfg} with input {@code size}×{@code size}, written once per size under target/. */
    public static Path resized(String model, int size) {
        Path copy = directory().resolve(model + "-" + size + ".cfg");
        try {
            if (!Files.exists(copy)) {
                String cfg = Files.readString(Path.of("cfg", model + ".cfg"))
                        .replaceFirst("(?m)^width=\\d+", "width=" + size)
                        .replaceFirst("(?m)^height=\\d+", "height=" + size);
                Files.writeString(copy, cfg);
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized Path directory() {
        if (directory == null) {
            try {
                Files.createDirectories(Path.of("target"));
                directory = Files.createTempDirectory(Path.of("target"), "zoo-cfgs-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return directory;
    }
}
