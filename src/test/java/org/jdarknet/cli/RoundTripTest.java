package org.jdarknet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Class-folder training round-trips: {@code train --valid} writes files that {@code classifier valid},
 * {@code valid} and {@code classifier predict} take as they are, and the label-order trap (the
 * same classes in another order than the network's outputs) is caught. The colour images are
 * separable, so a trained network gets every validation image right; the truth is each image's folder.
 */
class RoundTripTest {
    /** The classes as a data set of its own might list them: not the sorted folder order training numbers them in. */
    private static final List<String> GIVEN_ORDER = List.of("red", "green", "blue");
    private static final String ALL_RIGHT = "60 images: top-1 1.0000, top-2 1.0000";

    @TempDir
    static Path dir;
    private static Path backup;

    @BeforeAll
    static void trainOnClassFolders() {
        TrainingFixture.colours(dir, 20);
        backup = dir.resolve("backup");
        Processes.Result trained = Processes.jdarknet("train", TrainingFixture.CFG.toString(), "--data",
                dir.resolve("train").toString(), "--valid", dir.resolve("valid").toString(), "--backup", backup.toString(),
                "--backend", "reference", "--top", "2", "--seed", "3");
        assertEquals(0, trained.exitCode(), trained.stderr());
    }

    @Test
    void classifierValidTakesTheWrittenDataFile() throws IOException {
        String data = Files.readString(backup.resolve("colours.data"));
        assertTrue(data.contains("valid=" + backup.toAbsolutePath().resolve("colours.valid.list") + "\n"), data);
        for (String line : data.lines().filter(l -> !l.startsWith("classes=") && !l.startsWith("top=")).toList()) {
            assertTrue(Path.of(line.substring(line.indexOf('=') + 1)).isAbsolute(), "works from any directory: " + line);
        }
        Processes.Result valid = Processes.jdarknet("classifier", "valid", backup.resolve("colours.data").toString(),
                TrainingFixture.CFG.toString(), weights().toString(), "--backend", "reference");
        assertEquals(0, valid.exitCode(), valid.stderr());
        assertTrue(valid.stdout().contains(ALL_RIGHT), valid.stdout());
        assertFalse(valid.stderr().contains("another order"), valid.stderr());
    }

    @Test
    void validOnClassFoldersReadsTheClassListBesideTheWeights() {
        Processes.Result valid = Processes.jdarknet("valid", TrainingFixture.CFG.toString(), weights().toString(),
                "--data", dir.resolve("valid").toString(), "--top", "2", "--backend", "reference");
        assertEquals(0, valid.exitCode(), valid.stderr());
        List<String> lines = valid.stdout().lines().toList();
        assertEquals(ALL_RIGHT, lines.get(0));
        assertEquals(List.of("per class (accuracy, images):", "  blue                     1.0000  20",
                "  green                    1.0000  20", "  red                      1.0000  20"), lines.subList(1, 5));
    }

    @Test
    void classifierPredictTakesTheWrittenDataFile() {
        Processes.Result predicted = Processes.jdarknet("classifier", "predict", backup.resolve("colours.data").toString(),
                TrainingFixture.CFG.toString(), weights().toString(), dir.resolve("valid/red/3.png").toString(),
                dir.resolve("valid/blue/4.png").toString(), "--backend", "reference", "-t", "1");
        assertEquals(0, predicted.exitCode(), predicted.stderr());
        List<String> answers = predicted.stdout().lines().filter(line -> line.contains(": ")).toList();
        assertEquals(2, answers.size(), predicted.stdout());
        assertTrue(answers.get(0).endsWith(": red") && answers.get(1).endsWith(": blue"), predicted.stdout());
    }

    /** The case: the data set's own .data lists the classes in its order; the network learned the sorted one. */
    @Test
    void labelsInAnotherOrderAreWarnedAboutAndTheTrainingOrderUsed() throws IOException {
        Path data = ownDataFile(dir.resolve("own"));
        Processes.Result valid = Processes.jdarknet("classifier", "valid", data.toString(), TrainingFixture.CFG.toString(),
                weights().toString(), "--backend", "reference");
        assertEquals(0, valid.exitCode(), valid.stderr());
        assertTrue(valid.stdout().contains(ALL_RIGHT), valid.stdout());
        List<String> warnings = orderWarnings(valid);
        assertEquals(1, warnings.size(), valid.stderr());
        assertTrue(warnings.get(0).contains("Given: red, green, blue; trained: blue, green, red"), warnings.get(0));
        assertTrue(warnings.get(0).contains(backup.resolve("colours.labels.list").toAbsolutePath().toString()), warnings.get(0));

        Processes.Result folders = Processes.jdarknet("valid", TrainingFixture.CFG.toString(), weights().toString(),
                "--data", dir.resolve("valid").toString(), "--labels", dir.resolve("own/labels.list").toString(),
                "--top", "2", "--backend", "reference");
        assertEquals(0, folders.exitCode(), folders.stderr());
        assertTrue(folders.stdout().startsWith(ALL_RIGHT), folders.stdout());
        assertEquals(1, orderWarnings(folders).size(), folders.stderr());

        Processes.Result predicted = Processes.jdarknet("classifier", "predict", data.toString(), TrainingFixture.CFG.toString(),
                weights().toString(), dir.resolve("valid/red/5.png").toString(), "--backend", "reference", "-t", "1");
        assertTrue(predicted.stdout().strip().endsWith(": red"), predicted.stdout());
        assertEquals(1, orderWarnings(predicted).size(), predicted.stderr());

        Processes.Result classified = Processes.jdarknet("classify", TrainingFixture.CFG.toString(), weights().toString(),
                dir.resolve("valid/blue/6.png").toString(), "--labels", dir.resolve("own/labels.list").toString(),
                "--backend", "reference", "-t", "1", "--format", "csv");
        List<String> rows = classified.stdout().lines().toList();
        assertEquals("blue", rows.get(1).split(",")[3], "image,rank,index,label,probability: " + classified.stdout());
        assertEquals(1, orderWarnings(classified).size(), classified.stderr());
    }

    /**
     * Without the class list beside the weights nothing changes: the given order is used as it is,
     * and so red images count as blue and blue as red (the trap itself): green alone is right.
     */
    @Test
    void withoutAClassListTheGivenOrderIsUsed() throws IOException {
        Path data = ownDataFile(dir.resolve("bare"));
        Path weights = Files.copy(weights(), dir.resolve("bare/colours.weights"));
        Processes.Result valid = Processes.jdarknet("classifier", "valid", data.toString(), TrainingFixture.CFG.toString(),
                weights.toString(), "--backend", "reference");
        assertEquals(0, valid.exitCode(), valid.stderr());
        assertTrue(valid.stdout().contains("60 images: top-1 0.3333"), valid.stdout());
        assertTrue(orderWarnings(valid).isEmpty(), valid.stderr());

        Processes.Result folders = Processes.jdarknet("valid", TrainingFixture.CFG.toString(), weights.toString(),
                "--data", dir.resolve("valid").toString(), "--top", "2", "--backend", "reference");
        assertTrue(folders.stdout().startsWith(ALL_RIGHT), "sorted folder order, as train numbers them: " + folders.stdout());
        assertTrue(folders.stderr().contains("no class list beside"), folders.stderr());
    }

    /** Darknet's substring rule would give ".../darkblue/1.png" to "blue": the written list says so. */
    @Test
    void classNamesInsideOtherPathsAreWarnedAbout() throws IOException {
        Path renamed = dir.resolve("renamed");
        TrainingFixture.colours(renamed, 2);
        Files.move(renamed.resolve("valid/red"), renamed.resolve("valid/darkblue"));
        Files.move(renamed.resolve("train/red"), renamed.resolve("train/darkblue"));
        Processes.Result trained = Processes.jdarknet("train", TrainingFixture.CFG.toString(), "--data",
                renamed.resolve("train").toString(), "--valid", renamed.resolve("valid").toString(), "--backup",
                renamed.resolve("backup").toString(), "--backend", "reference", "--max-batches", "1");
        assertEquals(0, trained.exitCode(), trained.stderr());
        assertTrue(trained.stderr().contains("2 of 6 validation images contain another class's name in their path"),
                trained.stderr());
    }

    private static Path weights() {
        return backup.resolve("colours.weights");
    }

    /** A .data file as a data set ships it: its own label order, its own list of the validation images. */
    private static Path ownDataFile(Path where) throws IOException {
        Files.createDirectories(where);
        Path list = where.resolve("valid.list");
        try (Stream<Path> images = Files.walk(dir.resolve("valid"))) {
            Files.write(list, images.filter(Files::isRegularFile).map(p -> p.toAbsolutePath().toString()).sorted().toList());
        }
        Files.write(where.resolve("labels.list"), GIVEN_ORDER);
        return Files.writeString(where.resolve("own.data"), "classes=3\nvalid=" + list + "\nlabels="
                + where.resolve("labels.list") + "\ntop=2\n");
    }

    private static List<String> orderWarnings(Processes.Result result) {
        return result.stderrLines().stream().filter(line -> line.contains("in another order")).toList();
    }
}
