package org.jdarknet.data;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/** Which files are images by their name, as the folder datasets and calibration folders find them. */
public final class ImageFiles {
    private static final Set<String> IMAGE_EXTENSIONS = Set.of(
            "jpg", "jpeg", "jpe", "png", "bmp", "gif", "tif", "tiff", "webp", "pnm", "ppm", "pgm", "pbm");

    private ImageFiles() {
    }

    /** Whether the file's extension is an image format's. */
    public static boolean isImage(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot >= 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** Whether some part of {@code file} below {@code folder} is hidden (".name"). */
    static boolean hasHiddenPart(Path folder, Path file) {
        for (Path part : folder.relativize(file)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** The images anywhere below {@code dir} (symbolic links followed, hidden ones left out), sorted by path. */
    public static List<Path> below(Path dir) {
        try (Stream<Path> files = Files.walk(dir, FileVisitOption.FOLLOW_LINKS)) {
            return files.filter(file -> !Files.isDirectory(file) && !hasHiddenPart(dir, file) && isImage(file))
                    .sorted().toList();
        } catch (IOException e) {
            throw new DatasetException(dir + ": cannot list its images", e);
        }
    }
}
