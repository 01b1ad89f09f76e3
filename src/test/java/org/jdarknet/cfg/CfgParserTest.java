package org.jdarknet.cfg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Darknet's cfg grammar (parser.c read_cfg, option_list.c), and where we are stricter. */
class CfgParserTest {
    @TempDir
    Path dir;

    @Test
    void sectionNamesAndTheirAliases() throws IOException {
        Path cfg = write("aliases.cfg", "[network]\n[net]\n[conv]\n[convolutional]\n[max]\n[maxpool]\n[avg]\n[avgpool]\n"
                + "[soft]\n[softmax]\n[conn]\n[connected]\n[shortcut]\n[route]\n[cost]\n[dropout]\n[batchnorm]\n[crop]\n");
        List<String> types = CfgParser.parseSections(cfg).stream().map(CfgSection::type).toList();
        assertEquals(List.of("net", "net", "convolutional", "convolutional", "maxpool", "maxpool", "avgpool", "avgpool",
                "softmax", "softmax", "connected", "connected", "shortcut", "route", "cost", "dropout", "batchnorm", "crop"), types);
    }

    @Test
    void commentsBlankLinesAndWhitespace() throws IOException {
        Path cfg = write("spaces.cfg", "# a comment\n; another\n\n  \t\n[ conv ]\n  filters = 16  \n\tsize\t=\t3\n"
                + "# filters=99\n;size=99\nstride=2 # trailing comment\nlayers = -1, -4\n");
        CfgSection conv = single(cfg);
        assertEquals("convolutional", conv.type());
        assertEquals(5, conv.line());
        assertEquals(16, conv.getInt("filters", 0));
        assertEquals(3, conv.getInt("size", 0));
        assertEquals(2, conv.getInt("stride", 0));
        assertArrayEquals(new int[] {-1, -4}, conv.getIntList("layers"));
        assertEquals(10, conv.option("stride").line());
    }

    @Test
    void crlfAndAByteOrderMarkReadLikePlainLines() throws IOException {
        String text = "[net]\nwidth=224\n\n[convolutional]\nactivation=leaky\n";
        Path plain = write("plain.cfg", text);
        Path windows = write("windows.cfg", "\uFEFF" + text.replace("\n", "\r\n"));
        List<CfgSection> expected = CfgParser.parseSections(plain);
        List<CfgSection> actual = CfgParser.parseSections(windows);
        assertEquals(expected.size(), actual.size());
        assertEquals("net", actual.get(0).type());
        assertEquals(224, actual.get(0).getInt("width", 0));
        assertEquals("leaky", actual.get(1).getString("activation", null));
        assertEquals(4, actual.get(1).line());
    }

    /** option_find returns the first match; we also say which later lines were ignored. */
    @Test
    void theFirstOccurrenceOfAKeyWinsAndLaterOnesAreReported() throws IOException {
        Path cfg = write("repeat.cfg", "[conv]\nfilters=16\nsize=3\nfilters=32\n");
        CfgSection conv = single(cfg);
        assertEquals(16, conv.getInt("filters", 0));
        conv.getInt("size", 1);
        assertEquals(List.of(new CfgOption("filters", "32", 4)), conv.ignoredDuplicates());
        assertEquals(List.of(cfg + ":4: 'filters' repeated in [convolutional]; the first value is used"), warnings(conv));
    }

    /** Like darknet's option_unused ("Unused field: 'key = value'"), with the file, line and section. */
    @Test
    void keysNoOneAskedForAreReportedAsUnused() throws IOException {
        Path cfg = write("unused.cfg", "[conv]\nfilters=16\nfliters=32\nsize=3\n");
        CfgSection conv = single(cfg);
        conv.getInt("filters", 1);
        conv.getInt("size", 1);
        conv.getInt("stride", 1);
        assertEquals(List.of(new CfgOption("fliters", "32", 3)), conv.unused());
        assertEquals(List.of(cfg + ":3: unused field 'fliters = 32' in [convolutional]"), warnings(conv));
    }

    @Test
    void defaultsApplyOnlyToAbsentKeys() throws IOException {
        CfgSection conv = single(write("absent.cfg", "[conv]\nfilters=0\n"));
        assertEquals(0, conv.getInt("filters", 1));
        assertEquals(7, conv.getInt("size", 7));
        assertEquals(0.5f, conv.getFloat("probability", 0.5f));
        assertNull(conv.getString("activation", null));
        assertArrayEquals(new int[0], conv.getIntList("layers"));
        assertFalse(conv.has("size"));
    }

    /** Forms atof and atoi accept for the numbers darknet's cfgs contain. */
    @ParameterizedTest
    @CsvSource({".5, 0.5", "1., 1", "+3, 3", "-0.1, -0.1", "1e-3, 0.001", "5E2, 500"})
    void numbersInTheFormsDarknetCfgsUse(String text, float expected) throws IOException {
        assertEquals(expected, single(write("number.cfg", "[net]\nlearning_rate=" + text + "\n")).getFloat("learning_rate", 0));
    }

    /** atoi("16x") is 16 and atof("0.1.2") is 0.1 in darknet; we stop at the file, line and key. */
    @Test
    void unparsableNumbersAreErrorsNamingFileLineAndKey() throws IOException {
        CfgSection section = single(write("numbers.cfg", "[conv]\nfilters=16x\nsize=\u00bd\nmomentum=0.1.2\nlayers=-1,x\nscales=.1,,.2\nstride=3.0\n"));
        Path file = section.file();
        assertEquals(file + ":2: 'filters': expected an integer, found '16x'", message(() -> section.getInt("filters", 1)));
        assertEquals(file + ":3: 'size': expected an integer, found '\u00bd'", message(() -> section.getInt("size", 1)));
        assertEquals(file + ":4: 'momentum': expected a number, found '0.1.2'", message(() -> section.getFloat("momentum", 1)));
        assertEquals(file + ":5: 'layers': expected an integer, found 'x'", message(() -> section.getIntList("layers")));
        assertEquals(file + ":6: 'scales': expected a number, found ''", message(() -> section.getFloatList("scales")));
        assertEquals(file + ":7: 'stride': expected an integer, found '3.0'", message(() -> section.getInt("stride", 1)));
    }

    @Test
    void malformedLinesAreErrorsNamingFileAndLine() throws IOException {
        assertEquals(dir.resolve("a.cfg") + ":2: unknown section [bogus]; known: avg, avgpool, batchnorm, conn, connected, conv,"
                        + " convolutional, cost, crop, dropout, max, maxpool, net, network, route, shortcut, soft, softmax",
                parseError("a.cfg", "[net]\n[bogus]\n"));
        assertEquals(dir.resolve("b.cfg") + ":3: [yolo] is a darknet layer that jdarknet does not implement (classifier layers only)",
                parseError("b.cfg", "[net]\n\n[yolo]\n"));
        assertEquals(dir.resolve("c.cfg") + ":1: option 'width=3' before the first [section]", parseError("c.cfg", "width=3\n[net]\n"));
        assertEquals(dir.resolve("d.cfg") + ":2: expected key=value, found 'filters'", parseError("d.cfg", "[conv]\nfilters\n"));
        assertEquals(dir.resolve("e.cfg") + ":2: 'filters': no value after '='", parseError("e.cfg", "[conv]\nfilters=\n"));
        assertEquals(dir.resolve("f.cfg") + ":2: missing key before '=' in '=3'", parseError("f.cfg", "[conv]\n=3\n"));
        assertEquals(dir.resolve("g.cfg") + ":1: malformed section header '[conv'; expected [name]", parseError("g.cfg", "[conv\n"));
        assertEquals(dir.resolve("h.cfg") + ":1: malformed section header '[conv]x'; expected [name]", parseError("h.cfg", "[conv]x\n"));
    }

    @Test
    void filesThatAreNotCfgFiles() throws IOException {
        assertEquals(dir.resolve("missing.cfg") + ": file not found", message(() -> CfgParser.parseSections(dir.resolve("missing.cfg"))));
        assertEquals(dir + ": is a directory, not a file", message(() -> CfgParser.parseSections(dir)));
        Path binary = Files.write(dir.resolve("binary.cfg"), new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0});
        assertEquals(binary + ": not a text file (invalid UTF-8)", message(() -> CfgParser.parseSections(binary)));
        Path comments = write("comments.cfg", "# nothing but a comment\n");
        assertEquals(comments + ": no [sections] found; is this a darknet .cfg file?", message(() -> CfgParser.parseSections(comments)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"[conv]\nfilters=1\n\n[bogus]\n", "[conv]\nfilters=a\u2028b\n", "[conv]\nsize=\r\r\n"})
    void errorsAreOneLine(String text) throws IOException {
        Path cfg = write("oneline.cfg", text);
        String error = message(() -> CfgParser.parseSections(cfg).forEach(s -> s.getInt("filters", 1)));
        assertEquals(1, error.lines().count(), error);
    }

    private String parseError(String name, String text) throws IOException {
        Path cfg = write(name, text);
        return message(() -> CfgParser.parseSections(cfg));
    }

    private static String message(Runnable action) {
        CfgException e = assertThrows(CfgException.class, action::run);
        assertFalse(e.getMessage().contains("\n"));
        return e.getMessage();
    }

    private static List<String> warnings(CfgSection section) {
        List<String> lines = new ArrayList<>();
        section.warnAboutLeftovers(lines::add);
        return lines;
    }

    private static CfgSection single(Path cfg) {
        List<CfgSection> sections = CfgParser.parseSections(cfg);
        assertEquals(1, sections.size());
        return sections.get(0);
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }
}
