package org.jdarknet.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jdarknet.backend.reference.ReferenceBackend;
import org.jdarknet.net.Network;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The calibration file: it reads back what was written, and every way it can be wrong is one line naming file and line. */
class CalibrationFileTest {
    private static final Path TINY = Path.of("cfg/tiny.cfg");
    private static final Path FASHION = Path.of("cfg/fashion-mnist.cfg");

    @TempDir
    Path dir;

    /**
     * A calibration for {@code cfg}'s network with made-up ranges: 0.5, 1.5, 2.5, ...; each
     * convolution's pre-activation range a quarter more.
     */
    static Calibration madeUp(Path cfg) {
        try (Network network = Network.build(cfg, new ReferenceBackend(), 1)) {
            List<Calibration.LayerRange> layers = new ArrayList<>();
            for (int i = 0; i < network.layers().size(); i++) {
                String kind = network.layers().get(i).kind();
                layers.add(new Calibration.LayerRange(i, kind, i + 0.5f, kind.equals("conv") ? i + 0.75f : Float.NaN));
            }
            return new Calibration(cfg.getFileName().toString(),
                    Calibration.fingerprint(network.inputShape(), network.layers()), 3, 1f, layers, null);
        }
    }

    @Test
    void readsBackWhatItWrote() {
        Calibration written = madeUp(TINY);
        Path file = dir.resolve("tiny.calibration");
        written.write(file);
        Calibration read = Calibration.read(file);
        assertEquals(written, read);
        assertEquals(file, read.source());
        assertEquals(1f, read.inputRange(0));
        assertEquals(0.5f, read.inputRange(1));
        assertEquals(written.layers().size() - 0.5f, read.outputRange(written.layers().size() - 1));
        assertEquals(0.75f, read.preActivationRange(0), "tiny's layer 0 is a convolution");
        assertTrue(Float.isNaN(read.preActivationRange(1)), "tiny's layer 1 is a maxpool");
        assertTrue(read.hasPreActivationRanges());
    }

    /**
     * A file of the first format (no pre-activation ranges) still reads, with the same input and
     * output ranges and none before the activations.
     */
    @Test
    void aFileOfTheFirstFormatStillReads() throws IOException {
        Calibration written = madeUp(TINY);
        Path file = dir.resolve("old.calibration");
        written.write(file);
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String[] fields = line.split(" ");
            lines.add(line.equals(CalibrationFile.HEADER) ? CalibrationFile.HEADER_1
                    : fields[0].equals("layer") ? String.join(" ", List.of(fields).subList(0, 4)) : line);
        }
        Files.write(file, lines);
        Calibration read = Calibration.read(file);
        assertFalse(read.hasPreActivationRanges());
        for (int i = 0; i < written.layers().size(); i++) {
            assertEquals(written.outputRange(i), read.outputRange(i), "layer " + i);
            assertTrue(Float.isNaN(read.preActivationRange(i)), "layer " + i);
        }
        assertEquals(written.inputRange(0), read.inputRange(0));
        assertEquals(written.network(), read.network());
        lines.set(lines.indexOf(lines.stream().filter(l -> l.startsWith("layer 0 ")).findFirst().orElseThrow()),
                "layer 0 conv 1.0 2.0");
        Files.write(file, lines);
        CalibrationException e = assertThrows(CalibrationException.class, () -> Calibration.read(file));
        assertTrue(e.getMessage().contains("expected 'layer INDEX KIND RANGE' (format 1)"), e.getMessage());
    }

    @Test
    void awkwardFloatsReadBackExactly() {
        Calibration base = madeUp(FASHION);
        List<Calibration.LayerRange> layers = new ArrayList<>();
        float[] awkward = {Float.MIN_VALUE, 1e-7f, 0.1f, 1f / 3, 3.4028235e38f, 123456.79f, 2.7182817f, 1e10f};
        for (Calibration.LayerRange layer : base.layers()) {
            layers.add(new Calibration.LayerRange(layer.index(), layer.kind(), awkward[layer.index() % awkward.length],
                    awkward[(layer.index() + 3) % awkward.length]));
        }
        Calibration written = new Calibration(base.cfg(), base.network(), 1, 0.1f, layers, null);
        Path file = dir.resolve("awkward.calibration");
        written.write(file);
        assertEquals(written, Calibration.read(file));
    }

    @Test
    void aNetworkOfAnotherCfgIsRefusedNamingTheCfgItWasMadeFor() {
        Path file = dir.resolve("tiny.calibration");
        madeUp(TINY).write(file);
        Calibration calibration = Calibration.read(file);
        CalibrationException e = assertThrows(CalibrationException.class,
                () -> Network.build(FASHION, new ReferenceBackend(), 1, calibration));
        assertOneLineAbout(e, file + ": made for tiny.cfg");
        assertTrue(e.getMessage().contains("not for fashion-mnist.cfg"), e.getMessage());
    }

    @Test
    void aMissingLayerIsNamed() throws IOException {
        Path file = dir.resolve("missing.calibration");
        madeUp(TINY).write(file);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        int layersLine = lines.indexOf(lines.stream().filter(l -> l.startsWith("layers ")).findFirst().orElseThrow()) + 1;
        lines.removeIf(line -> line.startsWith("layer 7 "));
        Files.write(file, lines);
        CalibrationException e = assertThrows(CalibrationException.class, () -> Calibration.read(file));
        assertOneLineAbout(e, file + ":" + layersLine + ": no range for layer 7");
    }

    @Test
    void trailingLayersCutOffAreMissingLayers() throws IOException {
        Path file = dir.resolve("cut.calibration");
        madeUp(TINY).write(file);
        List<String> lines = Files.readAllLines(file);
        Files.write(file, lines.subList(0, lines.size() - 2));
        CalibrationException e = assertThrows(CalibrationException.class, () -> Calibration.read(file));
        assertTrue(e.getMessage().contains("no range for layer " + (madeUp(TINY).layers().size() - 2)), e.getMessage());
    }

    @ParameterizedTest(name = "line {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "layer 3 conv|expected 'layer INDEX KIND RANGE [PRE_ACTIVATION]'",
        "layer 3 conv 1.0 2.0 3.0|expected 'layer INDEX KIND RANGE [PRE_ACTIVATION]'",
        "layer 3 conv 1.0 -1|a range must be a positive finite number, found '-1'",
        "layer 3 conv 1.0 NaN|a range must be a positive finite number, found 'NaN'",
        "layer x conv 1.0|INDEX a layer number",
        "layer 3 conv 0|a range must be a positive finite number, found '0'",
        "layer 3 conv -2.5|a range must be a positive finite number, found '-2.5'",
        "layer 3 conv NaN|a range must be a positive finite number, found 'NaN'",
        "layer 3 conv Infinity|a range must be a positive finite number, found 'Infinity'",
        "layer 3 conv big|a range must be a positive finite number, found 'big'",
        "layers 2 3|'layers' must be a whole number",
        "colour blue|unknown entry 'colour'",
    })
    void aMalformedLineIsNamed(String replacement, String problem) throws IOException {
        Path file = dir.resolve("malformed.calibration");
        madeUp(TINY).write(file);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        String key = replacement.startsWith("layers") ? "layers " : "layer 3 ";
        int at = indexOfLineStarting(lines, replacement.startsWith("colour") ? "layer 3 " : key);
        lines.set(at, replacement);
        Files.write(file, lines);
        CalibrationException e = assertThrows(CalibrationException.class, () -> Calibration.read(file));
        assertOneLineAbout(e, file + ":" + (at + 1) + ": ");
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void aRepeatedLayerIsNamed() throws IOException {
        Path file = dir.resolve("twice.calibration");
        madeUp(TINY).write(file);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        int first = indexOfLineStarting(lines, "layer 2 ");
        lines.add("layer 2 conv 9.5");
        Files.write(file, lines);
        CalibrationException e = assertThrows(CalibrationException.class, () -> Calibration.read(file));
        assertOneLineAbout(e, file + ":" + lines.size() + ": a second range for layer 2 (the first is on line "
                + (first + 1) + ")");
    }

    @Test
    void anotherFileIsNotTakenForACalibration() throws IOException {
        Path file = dir.resolve("not.calibration");
        Files.writeString(file, "[net]\nwidth=28\n");
        CalibrationException e = assertThrows(CalibrationException.class, () -> Calibration.read(file));
        assertOneLineAbout(e, file + ":1: not a jdarknet calibration file");
        CalibrationException absent = assertThrows(CalibrationException.class,
                () -> Calibration.read(dir.resolve("absent")));
        assertOneLineAbout(absent, dir.resolve("absent") + ": calibration file not found");
    }

    @Test
    void aMissingHeaderEntryIsNamed() throws IOException {
        Path file = dir.resolve("headless.calibration");
        madeUp(TINY).write(file);
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.removeIf(line -> line.startsWith("network "));
        Files.write(file, lines);
        CalibrationException e = assertThrows(CalibrationException.class, () -> Calibration.read(file));
        assertOneLineAbout(e, file + ": no 'network' line");
    }

    private static int indexOfLineStarting(List<String> lines, String start) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(start)) {
                return i;
            }
        }
        throw new AssertionError("no line starts with " + start);
    }

    static void assertOneLineAbout(Exception e, String start) {
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
