package org.jdarknet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jdarknet.cfg.DataConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetTest {
    @TempDir
    Path dir;

    private final List<String> warnings = new ArrayList<>();

    private float[] truth(Dataset dataset, int index) {
        float[] truth = new float[dataset.classCount()];
        dataset.fillTruth(index, truth, 0);
        return truth;
    }

    @Test
    void labelsMatchAsSubstringsAnywhereInThePath() {
        Path list = TestImages.text(dir.resolve("train.list"),
                "img/cat/1.jpg\n\nimg/hotdog_2.jpg\r\nimg/dog/cat_3.jpg\nimg/bird/4.jpg\n");
        Dataset dataset = Dataset.fromList(list, List.of("cat", "dog", "hotdog"), warnings::add);

        assertEquals(4, dataset.size(), "blank lines are not images");
        assertEquals(Path.of("img/hotdog_2.jpg"), dataset.path(1), "CR of CRLF lines dropped");
        assertArrayEquals(new float[] {1, 0, 0}, truth(dataset, 0));
        assertArrayEquals(new float[] {0, 1, 1}, truth(dataset, 1), "'dog' is inside 'hotdog': darknet's multi-hot");
        assertArrayEquals(new float[] {1, 1, 0}, truth(dataset, 2));
        assertArrayEquals(new float[] {0, 0, 0}, truth(dataset, 3));
        assertEquals(0, dataset.firstClass(0));
        assertEquals(1, dataset.firstClass(1), "validation takes the first match");
        assertEquals(0, dataset.firstClass(2));
        assertEquals(-1, dataset.firstClass(3));

        assertEquals(3, dataset.ambiguousImages());
        assertEquals(4, warnings.size(), "one per image and a summary: " + warnings);
        assertTrue(warnings.get(0).contains("img/hotdog_2.jpg") && warnings.get(0).contains("'dog', 'hotdog'"),
                warnings.get(0));
        assertTrue(warnings.get(2).contains("img/bird/4.jpg") && warnings.get(2).contains("no label"), warnings.get(2));
        assertTrue(warnings.get(3).contains("3 of 4"), warnings.get(3));
    }

    @Test
    void withOneClassNoMatchIsAValidNegativeAsInDarknet() {
        Path list = TestImages.text(dir.resolve("train.list"), "a/yes_1.jpg\na/no_2.jpg\n");
        Dataset dataset = Dataset.fromList(list, List.of("yes"), warnings::add);
        assertEquals(0, dataset.ambiguousImages());
        assertEquals(List.of(), warnings);
        assertArrayEquals(new float[] {0}, truth(dataset, 1));
    }

    @Test
    void dataFileTakesItsFirstClassesLabels() {
        TestImages.text(dir.resolve("labels.txt"), "cat\ndog\nextra\n");
        TestImages.text(dir.resolve("train.list"), "x/dog.png\n");
        TestImages.text(dir.resolve("valid.list"), "v/cat.png\nv/dog.png\n");
        Path data = TestImages.text(dir.resolve("pets.data"), "classes=2\ntrain=" + dir.resolve("train.list")
                + "\nvalid=" + dir.resolve("valid.list") + "\nlabels=" + dir.resolve("labels.txt") + "\n");

        Dataset train = Dataset.fromDataConfig(DataConfig.read(data), Dataset.Split.TRAIN, warnings::add);
        Dataset valid = Dataset.fromDataConfig(DataConfig.read(data), Dataset.Split.VALID, warnings::add);

        assertEquals(List.of("cat", "dog"), train.classNames());
        assertEquals(1, train.size());
        assertEquals(2, valid.size());
        assertEquals(1, valid.firstClass(1));
        assertTrue(warnings.get(0).contains("using the first 2"), warnings.toString());
    }

    @Test
    void tooFewOrEmptyLabelsAndEmptyListsAreErrors() {
        TestImages.text(dir.resolve("labels.txt"), "cat\n");
        Path list = TestImages.text(dir.resolve("train.list"), "x/cat.png\n");
        Path data = TestImages.text(dir.resolve("pets.data"), "classes=2\ntrain=" + list + "\nlabels="
                + dir.resolve("labels.txt") + "\n");
        DatasetException few = assertThrows(DatasetException.class,
                () -> Dataset.fromDataConfig(DataConfig.read(data), Dataset.Split.TRAIN, warnings::add));
        assertTrue(few.getMessage().contains("classes=2"), few.getMessage());
        assertThrows(DatasetException.class, () -> Dataset.fromList(list, List.of("cat", ""), warnings::add));
        Path empty = TestImages.text(dir.resolve("empty.list"), "\n");
        assertThrows(DatasetException.class, () -> Dataset.fromList(empty, List.of("cat"), warnings::add));
    }

    @Test
    void foldersAreClassesMatchedExactlyAndSortedByName() {
        Path train = dir.resolve("train");
        TestImages.png(train.resolve("cats/1.png"), 4, 4, 0);
        TestImages.png(train.resolve("cat/b.png"), 4, 4, 0);
        TestImages.png(train.resolve("cat/deeper/a.JPG"), 4, 4, 0);
        TestImages.png(train.resolve("Dog/1.png"), 4, 4, 0);
        TestImages.text(train.resolve("cat/notes.txt"), "not an image");
        TestImages.text(train.resolve("README"), "beside the classes");
        TestImages.png(train.resolve("cat/.hidden.png"), 4, 4, 0);
        TestImages.png(train.resolve(".cache/1.png"), 4, 4, 0);
        TestImages.text(train.resolve("empty/notes.txt"), "");

        Dataset dataset = Dataset.fromFolders(train, warnings::add);

        assertEquals(List.of("Dog", "cat", "cats", "empty"), dataset.classNames(), "String order: upper case first");
        assertEquals(4, dataset.size());
        assertEquals(train.resolve("Dog/1.png"), dataset.path(0));
        assertEquals(train.resolve("cat/b.png"), dataset.path(1));
        assertEquals(train.resolve("cat/deeper/a.JPG"), dataset.path(2), "found below the class folder");
        assertEquals(train.resolve("cats/1.png"), dataset.path(3));
        assertArrayEquals(new float[] {0, 1, 0, 0}, truth(dataset, 2), "'cat' is not a substring match of 'cats'");
        assertEquals(2, dataset.firstClass(3));
        assertEquals(0, dataset.ambiguousImages());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("'empty' has no images")), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith("skipped 3 file(s)")), warnings.toString());
    }

    @Test
    void validationFoldersTakeTheTrainingClassOrder() {
        TestImages.png(dir.resolve("valid/cat/1.png"), 4, 4, 0);
        Dataset valid = Dataset.fromFolders(dir.resolve("valid"), List.of("bird", "cat", "dog"), warnings::add);
        assertEquals(List.of("bird", "cat", "dog"), valid.classNames());
        assertEquals(1, valid.firstClass(0));
        assertArrayEquals(new float[] {0, 1, 0}, truth(valid, 0));
    }

    @Test
    void validationFolderWithAnUnknownClassIsAnError() {
        TestImages.png(dir.resolve("valid/cat/1.png"), 4, 4, 0);
        TestImages.png(dir.resolve("valid/zebra/1.png"), 4, 4, 0);
        DatasetException e = assertThrows(DatasetException.class,
                () -> Dataset.fromFolders(dir.resolve("valid"), List.of("cat", "dog"), warnings::add));
        assertTrue(e.getMessage().contains("'zebra' is not one of the 2 training classes"), e.getMessage());
    }

    @Test
    void missingOrEmptyFoldersAreErrors() {
        assertThrows(DatasetException.class, () -> Dataset.fromFolders(dir.resolve("nowhere"), warnings::add));
        TestImages.text(dir.resolve("flat/1.txt"), "");
        assertThrows(DatasetException.class, () -> Dataset.fromFolders(dir.resolve("flat"), warnings::add));
        TestImages.text(dir.resolve("noimages/cat/1.txt"), "");
        assertThrows(DatasetException.class,
                () -> Dataset.fromFolders(dir.resolve("noimages"), warnings::add));
    }
}
