package org.jdarknet.cfg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cfg input no one writes by hand: invisible characters, huge values and lines, files that never end. */
class CfgHostileInputTest {
    @TempDir
    Path dir;

    @Test
    void invisibleCharactersInAValueAreShownEscaped() throws IOException {
        Path cfg = write("nul.cfg", "[convolutional]\nfilters=16\0\nsize=3\u200b\n");
        CfgSection conv = CfgParser.parseSections(cfg).get(0);
        assertEquals(cfg + ":2: 'filters': expected an integer, found '16\\u0000'",
                assertThrows(CfgException.class, () -> conv.getInt("filters", 1)).getMessage());
        assertEquals(cfg + ":3: 'size': expected an integer, found '3\\u200b'",
                assertThrows(CfgException.class, () -> conv.getInt("size", 1)).getMessage());
    }

    @Test
    void aLongValueIsCutToItsStartAndItsLength() throws IOException {
        String value = "7".repeat(100_000);
        Path cfg = write("long.cfg", "[convolutional]\nfilters=x" + value + "\nlearning_rate=" + value + "\n");
        CfgSection conv = CfgParser.parseSections(cfg).get(0);
        String start = "x" + "7".repeat(59);
        assertEquals(cfg + ":2: 'filters': expected an integer, found '" + start + "... (100001 characters)'",
                assertThrows(CfgException.class, () -> conv.getInt("filters", 1)).getMessage());
        List<String> warnings = new ArrayList<>();
        conv.warnAboutLeftovers(warnings::add);
        assertEquals(List.of(String.format("%s:3: unused field 'learning_rate = %s... (100000 characters)' in [convolutional]",
                cfg, "7".repeat(60))), warnings);
    }

    @Test
    void aLineLongerThanAnyCfgLineIsAnError() throws IOException {
        Path cfg = write("line.cfg", "[net]\nwidth=" + "1".repeat(CfgParser.MAX_LINE_CHARS) + "\n");
        String message = assertThrows(CfgException.class, () -> CfgParser.parseSections(cfg)).getMessage();
        assertEquals(cfg + ":2: a line of " + (CfgParser.MAX_LINE_CHARS + 6) + " characters, more than the "
                + CfgParser.MAX_LINE_CHARS + " a cfg line may have: 'width=" + "1".repeat(54) + "... ("
                + (CfgParser.MAX_LINE_CHARS + 6) + " characters)'", message);
    }

    @Test
    void aFileThatNeverEndsIsReadOnlyUpToTheLimit() {
        Path zero = Path.of("/dev/zero");
        boolean present = Files.isReadable(zero);
        if (!present) {
            System.err.println("skipped: no /dev/zero here");
        }
        Assumptions.assumeTrue(present, "no /dev/zero here");
        assertEquals("/dev/zero: larger than 16 MiB; darknet cfg and .data files are a few kilobytes. Is this a cfg file?",
                assertThrows(CfgException.class, () -> CfgParser.parseSections(zero)).getMessage());
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }
}
