package org.jdarknet.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelsTest {
    @TempDir
    Path dir;

    /** Darknet's get_labels: one name per line, kept whole (spaces and commas included); CRLF accepted. */
    @Test
    void oneNamePerLine() throws IOException {
        Path file = Files.writeString(dir.resolve("names.list"), "kit fox\r\ntabby, cat\r\n  goldfish\n");
        Labels labels = Labels.read(file);
        assertEquals(List.of("kit fox", "tabby, cat", "  goldfish"), labels.asList());
        assertEquals("goldfish".length() + 2, labels.name(2).length());
        assertEquals("7", labels.name(7), "beyond the file: the index");
    }

    /** As darknet's fgetl: an empty line is a name, a last line needs no newline, only \n ends a line. */
    @Test
    void utf8NamesEmptyLinesAndALastLineWithoutNewline() throws IOException {
        Path file = Files.writeString(dir.resolve("names.list"), "crème brûlée\n\nNiño\rmix\nlast", StandardCharsets.UTF_8);
        assertEquals(List.of("crème brûlée", "", "Niño\rmix", "last"), Labels.read(file).asList());
        assertEquals(List.of(), Labels.read(Files.writeString(dir.resolve("empty.list"), "")).asList());
    }

    @Test
    void filesThatCannotBeLabels() throws IOException {
        Path missing = dir.resolve("missing.list");
        assertEquals(missing + ": labels file not found", assertThrows(LabelsException.class, () -> Labels.read(missing)).getMessage());
        assertEquals(dir + ": is a directory, not a labels file", assertThrows(LabelsException.class, () -> Labels.read(dir)).getMessage());
        Path binary = Files.write(dir.resolve("image.list"), new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff});
        assertEquals(binary + ": not a labels file (not UTF-8 text)",
                assertThrows(LabelsException.class, () -> Labels.read(binary)).getMessage());
    }
}
