package org.jdarknet.cfg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Darknet's .data files (option_list.c read_data_cfg, classifier.c). */
class DataConfigTest {
    @TempDir
    Path dir;

    @Test
    void readsEveryKeyDarknetsClassifierUses() throws IOException {
        Path file = Files.writeString(dir.resolve("imagenet.data"), "# ImageNet\nclasses= 1000\ntrain  = data/train.list\n"
                + "valid=data/valid list.txt\r\nlabels=data/labels.list\nnames=data/names.list\nbackup=backup/\ntop=5\n");
        DataConfig data = DataConfig.read(file);
        assertEquals(1000, data.classes());
        assertEquals(Optional.of(Path.of("data/train.list")), data.train());
        assertEquals(Optional.of(Path.of("data/valid list.txt")), data.valid());
        assertEquals(Optional.of(Path.of("data/labels.list")), data.labels());
        assertEquals(Optional.of(Path.of("data/names.list")), data.names());
        assertEquals(Path.of("backup/"), data.backup());
        assertEquals(5, data.top());
        assertEquals(Optional.of(Path.of("data/names.list")), data.namesOrLabels(), "names= comes first");
    }

    /** Darknet's defaults: classes 2, backup /backup/, top 1; without names=, labels= names the classes. */
    @Test
    void defaults() throws IOException {
        DataConfig data = DataConfig.read(Files.writeString(dir.resolve("min.data"), "labels=l.list\n"));
        assertEquals(2, data.classes());
        assertEquals(Path.of("/backup/"), data.backup());
        assertEquals(1, data.top());
        assertEquals(Optional.empty(), data.train());
        assertEquals(Optional.of(Path.of("l.list")), data.namesOrLabels());
    }

    @Test
    void badValuesAreErrorsNamingFileLineAndKey() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.data"), "classes=ten\n");
        assertEquals(file + ":1: 'classes': expected an integer, found 'ten'",
                assertThrows(CfgException.class, () -> DataConfig.read(file)).getMessage());
        Path zero = Files.writeString(dir.resolve("zero.data"), "classes=3\n\ntop=0\n");
        assertEquals(zero + ":3: 'top': must be at least 1, found 0",
                assertThrows(CfgException.class, () -> DataConfig.read(zero)).getMessage());
        Path section = Files.writeString(dir.resolve("section.data"), "classes=3\nnames\n");
        assertEquals(section + ":2: expected key=value, found 'names'",
                assertThrows(CfgException.class, () -> DataConfig.read(section)).getMessage());
    }
}
