package org.jdarknet.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jdarknet.classify.Labels;

/** Darknet's list files and its substring rule for labels ({@code fill_truth}). */
final class LabelMatching {
    private static final int[] NONE = {};

    private LabelMatching() {
    }

    /** The first {@code classes} lines of a labels file; fewer, or an empty one among them, is an error. */
    static List<String> readLabels(Path file, int classes, Consumer<String> warn) {
        List<String> labels = Labels.read(file).asList();
        if (labels.size() < classes) {
            throw new DatasetException(file + ": " + labels.size() + " labels, but the .data file says classes="
                    + classes);
        }
        if (labels.size() > classes) {
            warn.accept(file + ": " + labels.size() + " labels; using the first " + classes + " (classes=" + classes + ")");
        }
        return labels.subList(0, classes);
    }

    static Dataset fromList(Path list, List<String> labels, Consumer<String> warn) {
        requireNonEmpty(labels);
        String[] paths = readPaths(list);
        if (paths.length == 0) {
            throw new DatasetException(list + ": no image paths in the list");
        }
        // Singles share one array per class: a million-image list then costs a pointer per image.
        int[][] singles = IntStream.range(0, labels.size()).mapToObj(c -> new int[] {c}).toArray(int[][]::new);
        int[][] classes = IntStream.range(0, paths.length).parallel()
                .mapToObj(i -> match(paths[i], labels, singles))
                .toArray(int[][]::new);
        int ambiguous = 0;
        for (int i = 0; i < paths.length; i++) {
            if (isAmbiguous(classes[i], labels.size())) {
                warn.accept(describe(paths[i], classes[i], labels));
                ambiguous++;
            }
        }
        if (ambiguous > 0) {
            warn.accept(list + ": " + ambiguous + " of " + paths.length
                    + " images match no label or several (darknet's \"Too many or too few labels\")");
        }
        return new Dataset(list.toString(), labels, paths, classes, ambiguous);
    }

    private static void requireNonEmpty(List<String> labels) {
        if (labels.isEmpty()) {
            throw new DatasetException("no labels to classify by");
        }
        int empty = labels.indexOf("");
        if (empty >= 0) {
            throw new DatasetException("label " + empty + " is empty; it would match every image");
        }
    }

    /** Darknet's {@code get_paths}, less blank lines (which would fail to load anyway). */
    private static String[] readPaths(Path list) {
        try {
            return Files.readAllLines(list, StandardCharsets.UTF_8).stream()
                    .filter(line -> !line.isBlank())
                    .toArray(String[]::new);
        } catch (NoSuchFileException e) {
            throw new DatasetException(list + ": image list not found");
        } catch (IOException e) {
            throw new DatasetException(list + ": cannot read image list", e);
        }
    }

    /** Every label found as a substring of the path, in label order. */
    private static int[] match(String path, List<String> labels, int[][] singles) {
        int first = -1;
        List<Integer> more = null;
        for (int c = 0; c < labels.size(); c++) {
            if (!path.contains(labels.get(c))) {
                continue;
            }
            if (first < 0) {
                first = c;
            } else {
                more = more == null ? new ArrayList<>() : more;
                more.add(c);
            }
        }
        if (first < 0) {
            return NONE;
        }
        if (more == null) {
            return singles[first];
        }
        more.add(0, first);
        return more.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Darknet's condition for "Too many or too few labels": with one class, no match is a valid 0. */
    private static boolean isAmbiguous(int[] matched, int classes) {
        return matched.length != 1 && (classes != 1 || matched.length != 0);
    }

    private static String describe(String path, int[] matched, List<String> labels) {
        if (matched.length == 0) {
            return path + ": matches no label; its truth is all zeros";
        }
        String names = IntStream.of(matched).mapToObj(labels::get).map(name -> "'" + name + "'")
                .collect(Collectors.joining(", "));
        return path + ": matches " + matched.length + " labels (" + names + "); its truth marks all of them,"
                + " validation counts it as '" + labels.get(matched[0]) + "'";
    }
}
