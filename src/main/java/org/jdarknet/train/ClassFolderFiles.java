package org.jdarknet.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.jdarknet.AtomicFile;
import org.jdarknet.data.Dataset;

/**
 * What training on class folders writes beside its checkpoints, since class folders have no .data
 * file of their own: the class list {@code <name>.labels.list} (the order of the network's
 * outputs), the validation images {@code <name>.valid.list} when there is a validation set, and
 * {@code <name>.data} naming them, so that {@code classifier predict} and {@code classifier valid}
 * work on the written files at once. Every path in them is absolute: darknet (and our .data reader)
 * takes relative paths from the working directory, which need not be the one training ran in.
 */
public final class ClassFolderFiles {
    private ClassFolderFiles() {
    }

    /** The class list training on class folders writes into {@code directory} for checkpoints named {@code name}. */
    public static Path classList(Path directory, String name) {
        return directory.resolve(name + ".labels.list").toAbsolutePath();
    }

    static void write(Path directory, String name, List<String> classNames, Optional<Dataset> validation, int top,
                      Consumer<String> warn) {
        Path labels = classList(directory, name);
        Path data = directory.resolve(name + ".data");
        StringBuilder dataFile = new StringBuilder("classes=" + classNames.size() + "\n");
        write(labels, String.join("\n", classNames) + "\n");
        if (validation.isPresent()) {
            Path list = directory.resolve(name + ".valid.list").toAbsolutePath();
            write(list, imagePaths(validation.get()));
            warnAboutSubstringMatches(list, validation.get(), warn);
            dataFile.append("valid=").append(list).append('\n');
        }
        dataFile.append("labels=").append(labels).append("\nnames=").append(labels)
                .append("\nbackup=").append(directory.toAbsolutePath()).append("\ntop=").append(top).append('\n');
        write(data, dataFile.toString());
    }

    private static String imagePaths(Dataset dataset) {
        StringBuilder paths = new StringBuilder();
        for (int i = 0; i < dataset.size(); i++) {
            paths.append(dataset.path(i).toAbsolutePath()).append('\n');
        }
        return paths.toString();
    }

    /**
     * Validation through a .data file takes an image's class by darknet's substring rule (the
     * first class name found anywhere in its path), not by folder: a class named inside another's folder name or inside
     * the data set's own path ("cat" in ".../bobcat/1.png") takes images that are not its own.
     * Validation through the .data file then miscounts them; {@code jdarknet valid} does not.
     */
    private static void warnAboutSubstringMatches(Path list, Dataset byFolder, Consumer<String> warn) {
        Dataset bySubstring = Dataset.fromList(list, byFolder.classNames(), message -> { });
        List<Integer> mismatched = IntStream.range(0, byFolder.size())
                .filter(i -> bySubstring.firstClass(i) != byFolder.firstClass(i))
                .boxed().toList();
        if (!mismatched.isEmpty()) {
            int example = mismatched.get(0);
            warn.accept(list + ": " + mismatched.size() + " of " + byFolder.size() + " validation images contain"
                    + " another class's name in their path, e.g. " + byFolder.path(example).toAbsolutePath()
                    + "; darknet's substring rule, which 'classifier valid' on this .data file follows, miscounts"
                    + " them: use 'jdarknet valid CFG WEIGHTS --data " + byFolder.source() + "' instead");
        }
    }

    private static void write(Path file, String text) {
        try {
            AtomicFile.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
