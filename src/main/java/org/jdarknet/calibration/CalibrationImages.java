package org.jdarknet.calibration;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jdarknet.AtomicFile;
import org.jdarknet.data.ImageFiles;

/**
 * The images a calibration is measured on, as given on a command line: images themselves, one
 * LIST (a text file of image paths, one a line, as darknet's lists), or one DIR (every image
 * below it, sorted by path).
 */
public final class CalibrationImages {

    private CalibrationImages() {
    }

    public static List<Path> of(List<Path> given) {
        if (given.size() == 1 && Files.isDirectory(given.get(0))) {
            return nonEmpty(ImageFiles.below(given.get(0)), given.get(0) + ": no images below it");
        }
        if (given.size() == 1 && !ImageFiles.isImage(given.get(0))) {
            return list(given.get(0));
        }
        return given;
    }

    /** A darknet list: one path a line, blank lines skipped, relative paths from the working directory. */
    private static List<Path> list(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CalibrationException(file + ": no such image list or folder");
        }
        try {
            List<Path> paths = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .map(String::strip).filter(line -> !line.isEmpty()).map(Path::of).toList();
            return nonEmpty(paths, file + ": the image list is empty");
        } catch (IOException e) {
            throw new CalibrationException(file + ": cannot read the image list: " + AtomicFile.reason(e), e);
        }
    }

    private static List<Path> nonEmpty(List<Path> paths, String problem) {
        if (paths.isEmpty()) {
            throw new CalibrationException(problem);
        }
        return paths;
    }
}
