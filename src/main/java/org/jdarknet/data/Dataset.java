package org.jdarknet.data;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.jdarknet.cfg.DataConfig;

/**
 * A list of images with their classes. Built from darknet's {@code .data} + list files (an image
 * has class j when label j occurs anywhere in its path, darknet's {@code strstr} rule; 0 or
 * several matches are allowed, as in darknet) or from ImageNet-style class folders (exactly one
 * class each). Immutable.
 */
public final class Dataset {
    /** Which list of a {@code .data} file to read. */
    public enum Split { TRAIN, VALID }

    private final String source;
    private final List<String> classNames;
    private final String[] paths;
    private final int[][] classes;
    private final int ambiguous;

    /** {@code classes[i]}: the classes of image i in increasing order; {@code ambiguous}: how many have 0 or several. */
    Dataset(String source, List<String> classNames, String[] paths, int[][] classes, int ambiguous) {
        this.source = source;
        this.classNames = List.copyOf(classNames);
        this.paths = paths;
        this.classes = classes;
        this.ambiguous = ambiguous;
    }

    /**
     * The {@code train} (or {@code valid}) list of a darknet {@code .data} file with its
     * {@code labels}, with darknet's defaults ({@code data/train.list} for both lists,
     * {@code data/labels.list}) and its first {@code classes} labels.
     */
    public static Dataset fromDataConfig(DataConfig data, Split split, Consumer<String> warn) {
        return fromDataConfig(data, split, labels(data, warn), warn);
    }

    /** The {@code train} (or {@code valid}) list of a {@code .data} file classified by {@code labels} in their order. */
    public static Dataset fromDataConfig(DataConfig data, Split split, List<String> labels, Consumer<String> warn) {
        Path defaultList = Path.of("data/train.list");
        Path list = (split == Split.TRAIN ? data.train() : data.valid()).orElse(defaultList);
        return LabelMatching.fromList(list, labels, warn);
    }

    /** The first {@code classes} lines of a {@code .data} file's {@code labels} file (darknet's default {@code data/labels.list}). */
    public static List<String> labels(DataConfig data, Consumer<String> warn) {
        return LabelMatching.readLabels(data.labels().orElse(Path.of("data/labels.list")), data.classes(), warn);
    }

    /** A darknet list file (one image path per line) classified by {@code labels} as substrings. */
    public static Dataset fromList(Path list, List<String> labels, Consumer<String> warn) {
        return LabelMatching.fromList(list, labels, warn);
    }

    /** ImageNet-style folders {@code dir/<class>/...}: the classes are the folder names, sorted. */
    public static Dataset fromFolders(Path dir, Consumer<String> warn) {
        return FolderScan.scan(dir, null, warn);
    }

    /**
     * Class folders classified in a given class order (a validation set takes the training set's
     * {@link #classNames()}); a folder whose name is not among them is an error.
     */
    public static Dataset fromFolders(Path dir, List<String> classOrder, Consumer<String> warn) {
        return FolderScan.scan(dir, List.copyOf(classOrder), warn);
    }

    /** Where the dataset came from (list file or folder), for messages. */
    public String source() {
        return source;
    }

    /** The class names in output order: what the trainer writes as the label list. */
    public List<String> classNames() {
        return classNames;
    }

    public int classCount() {
        return classNames.size();
    }

    public int size() {
        return paths.length;
    }

    public Path path(int index) {
        return Path.of(paths[index]);
    }

    /**
     * The class validation counts image {@code index} as: the first matching label, as darknet's
     * {@code validate_classifier_single} takes it; -1 when none matches.
     */
    public int firstClass(int index) {
        int[] matched = classes[index];
        return matched.length == 0 ? -1 : matched[0];
    }

    /** Darknet's {@code fill_truth}: 1 for every matching class, else 0, at {@code offset}. */
    public void fillTruth(int index, float[] truth, int offset) {
        Arrays.fill(truth, offset, offset + classCount(), 0);
        for (int c : classes[index]) {
            truth[offset + c] = 1;
        }
    }

    /** How many images match no label or several (always 0 for class folders). */
    public int ambiguousImages() {
        return ambiguous;
    }

    @Override
    public String toString() {
        return source + ": " + size() + " images, " + classCount() + " classes";
    }
}
