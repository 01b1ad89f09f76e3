package org.jdarknet.data;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * ImageNet-style datasets: {@code dir/<class>/...}. Each sub-folder is a class, named exactly by
 * the folder; its images are the files anywhere below it (symbolic links followed) whose extension
 * is an image format's. Hidden files and folders (".name") are left out.
 */
final class FolderScan {
    private final Consumer<String> warn;
    private int otherFiles;
    private Path exampleOtherFile;

    private FolderScan(Consumer<String> warn) {
        this.warn = warn;
    }

    /** {@code classOrder} null: the classes are the folders sorted by name; else that order, which must cover them. */
    static Dataset scan(Path dir, List<String> classOrder, Consumer<String> warn) {
        if (!Files.isDirectory(dir)) {
            throw new DatasetException(dir + ": not a directory");
        }
        return new FolderScan(warn).read(dir, classOrder);
    }

    private Dataset read(Path dir, List<String> classOrder) {
        List<Path> folders = classFolders(dir);
        if (folders.isEmpty()) {
            throw new DatasetException(dir + ": no class folders (expected " + dir + "/<class>/<images>)");
        }
        List<String> classNames = classOrder != null ? classOrder : folders.stream().map(FolderScan::name).toList();
        Map<String, Integer> classIndex = indexOf(classNames);
        List<String> paths = new ArrayList<>();
        List<int[]> classes = new ArrayList<>();
        for (Path folder : folders) {
            Integer index = classIndex.get(name(folder));
            if (index == null) {
                throw new DatasetException(folder + ": class '" + name(folder) + "' is not one of the "
                        + classNames.size() + " training classes");
            }
            List<String> images = images(folder);
            if (images.isEmpty()) {
                warn.accept(folder + ": class '" + name(folder) + "' has no images");
            }
            int[] single = {index};
            for (String image : images) {
                paths.add(image);
                classes.add(single);
            }
        }
        reportOtherFiles();
        if (paths.isEmpty()) {
            throw new DatasetException(dir + ": no images in its class folders");
        }
        return new Dataset(dir.toString(), classNames, paths.toArray(String[]::new), classes.toArray(int[][]::new), 0);
    }

    /** The visible sub-folders, sorted by name; files beside them are counted as not images. */
    private List<Path> classFolders(Path dir) {
        List<Path> folders = new ArrayList<>();
        for (Path entry : list(dir)) {
            if (isHidden(entry)) {
                continue;
            }
            if (Files.isDirectory(entry)) {
                folders.add(entry);
            } else {
                countOtherFile(entry);
            }
        }
        folders.sort((a, b) -> name(a).compareTo(name(b)));
        return folders;
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.toList();
        } catch (IOException e) {
            throw new DatasetException(dir + ": cannot list", e);
        }
    }

    /** The image files below a class folder, sorted by path so that the order is reproducible. */
    private List<String> images(Path folder) {
        List<String> images = new ArrayList<>();
        try (Stream<Path> files = Files.walk(folder, FileVisitOption.FOLLOW_LINKS)) {
            files.filter(file -> !Files.isDirectory(file) && !ImageFiles.hasHiddenPart(folder, file)).sorted().forEach(file -> {
                if (ImageFiles.isImage(file)) {
                    images.add(file.toString());
                } else {
                    countOtherFile(file);
                }
            });
        } catch (IOException e) {
            throw new DatasetException(folder + ": cannot list its images", e);
        }
        return images;
    }

    private static boolean isHidden(Path path) {
        return name(path).startsWith(".");
    }

    private void countOtherFile(Path file) {
        otherFiles++;
        if (exampleOtherFile == null) {
            exampleOtherFile = file;
        }
    }

    private void reportOtherFiles() {
        if (otherFiles > 0) {
            warn.accept("skipped " + otherFiles + " file(s) that are not images by their extension or lie outside"
                    + " the class folders, e.g. " + exampleOtherFile);
        }
    }

    private static Map<String, Integer> indexOf(List<String> names) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            index.putIfAbsent(names.get(i), i);
        }
        return index;
    }

    private static String name(Path path) {
        return path.getFileName().toString();
    }
}
