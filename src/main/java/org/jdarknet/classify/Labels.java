package org.jdarknet.classify;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Class names, one per line, in the order of the network's outputs (darknet's {@code get_labels}). */
public final class Labels {
    private final Path file;
    private final List<String> names;

    private Labels(Path file, List<String> names) {
        this.file = file;
        this.names = names;
    }

    public static Labels read(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return new Labels(file, lines.stream().map(Labels::withoutLineEnd).toList());
        } catch (NoSuchFileException e) {
            throw new LabelsException(file, "labels file not found");
        } catch (MalformedInputException e) {
            throw new LabelsException(file, "not a labels file (not UTF-8 text)");
        } catch (IOException e) {
            if (Files.isDirectory(file)) {
                throw new LabelsException(file, "is a directory, not a labels file");
            }
            throw new LabelsException(file, "cannot read labels (" + e.getMessage() + ")");
        }
    }

    private static String withoutLineEnd(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    /** The name of output {@code index}; the index itself when the file is too short. */
    public String name(int index) {
        return index < names.size() ? names.get(index) : Integer.toString(index);
    }

    public int size() {
        return names.size();
    }

    public Path file() {
        return file;
    }

    public List<String> asList() {
        return names;
    }
}
