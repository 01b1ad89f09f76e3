package org.jdarknet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.jdarknet.backend.Shape;
import org.jdarknet.testing.Json;
import org.junit.jupiter.api.Test;

/** The three report formats on made-up results, including names that need quoting. */
class ReportTest {
    private static final String AWKWARD = "say \"hi\", then\\go";
    private static final LayerTiming SLOW = new LayerTiming(3, "conv", new Shape(1, 32, 128, 64),
            new Shape(1, 64, 64, 32), 1_500_000_000L, new Timings(List.of(12.5, 14.0, 12.0)), 0.75);
    private static final LayerTiming FAST = new LayerTiming(0, "max", new Shape(1, 3, 256, 128),
            new Shape(1, 32, 128, 64), 0, new Timings(List.of(4.25, 4.25, 4.25)), 0.25);
    private static final BenchmarkResult TINY = new BenchmarkResult("tiny", "inference", new Shape(2, 3, 224, 224),
            983_244_192L, 1_046_488L, new Timings(List.of(31.25, 20.0, 18.5, 19.0, 22.0)), 3, "reference", AWKWARD, 2, List.of());
    private static final BenchmarkResult LAYERED = new BenchmarkResult("darknet53", "inference",
            new Shape(1, 3, 256, 256), 18_580_000_000L, 41_645_640L, new Timings(List.of(900.0, 1000.0, 1100.0)), 0, "reference",
            AWKWARD, 2, List.of(SLOW, FAST));

    @Test
    void jsonIsOneWellFormedObjectPerModelWithExactValues() {
        List<String> lines = write(Report.json(), TINY, LAYERED).lines().toList();
        assertEquals(2, lines.size());
        Map<String, Object> tiny = Json.parseObject(lines.get(0));
        assertEquals("tiny", tiny.get("model"));
        assertEquals(AWKWARD, tiny.get("backend_description"));
        assertEquals(224.0, tiny.get("width"));
        assertEquals(2.0, tiny.get("batch"));
        assertEquals(983_244_192.0, tiny.get("flops"));
        assertEquals(1_046_488.0, tiny.get("parameters"));
        assertEquals(20.0, tiny.get("median_ms"));
        // np.percentile([31.25, 20, 18.5, 19, 22], [25, 75]) = [19, 22]
        assertEquals(19.0, tiny.get("p25_ms"));
        assertEquals(22.0, tiny.get("p75_ms"));
        assertEquals(1.1579, tiny.get("p75_p25"));
        assertEquals(List.of(31.25, 20.0, 18.5, 19.0, 22.0), tiny.get("runs_ms"), "every run, in order");
        assertEquals(100.0, tiny.get("images_per_s"));
        assertEquals(98.3244, tiny.get("gflops_per_s"));
        assertFalse(tiny.containsKey("layers"), "no layers key unless layers were timed");
    }

    @Test
    void jsonNestsLayersSlowestFirstAsGiven() {
        Map<String, Object> darknet53 = Json.parseObject(write(Report.json(), LAYERED).strip());
        List<?> layers = (List<?>) darknet53.get("layers");
        assertEquals(2, layers.size());
        Map<?, ?> first = (Map<?, ?>) layers.get(0);
        assertEquals(3.0, first.get("index"));
        assertEquals("conv", first.get("type"));
        assertEquals("64x128x32", first.get("input"));
        assertEquals("32x64x64", first.get("output"));
        assertEquals(1.5, first.get("bflops"));
        assertEquals(12.5, first.get("ms"));
        assertEquals(List.of(12.5, 14.0, 12.0), first.get("runs_ms"));
        assertEquals(12.25, first.get("p25_ms"));
        assertEquals(13.25, first.get("p75_ms"));
        assertEquals(0.75, first.get("share"));
    }

    @Test
    void csvHasAHeaderAndRowsOfTheSameWidthWithQuotedText() {
        List<String> lines = write(Report.csv(), TINY, LAYERED).lines().toList();
        assertEquals(3, lines.size());
        List<String> header = Csv.fields(lines.get(0));
        assertEquals(Field.RESULT.stream().map(Field::name).toList(), header);
        for (String line : lines.subList(1, 3)) {
            assertEquals(header.size(), Csv.fields(line).size(), line);
        }
        List<String> tiny = Csv.fields(lines.get(1));
        assertEquals(AWKWARD, tiny.get(header.indexOf("backend_description")));
        assertEquals("20", tiny.get(header.indexOf("median_ms")));
        assertEquals("31.25", tiny.get(header.indexOf("max_ms")));
        assertEquals("1.1579", tiny.get(header.indexOf("p75_p25")));
        assertEquals("0.9832", tiny.get(header.indexOf("bflops")));
    }

    @Test
    void textTableAlignsColumnsAndSaysHowItTimed() {
        List<String> lines = write(Report.text(), TINY).lines().toList();
        assertEquals(3, lines.size());
        String header = lines.get(0);
        String row = lines.get(1);
        assertTrue(header.startsWith("model  input"), header);
        assertTrue(row.startsWith("tiny   224x224x3"), row);
        // Numbers are right-aligned under their header.
        assertEquals(header.indexOf("median ms") + "median ms".length(), row.indexOf("20.00") + "20.00".length());
        assertTrue(row.contains("1,046,488"), row);
        assertEquals(header.indexOf("p75/p25") + "p75/p25".length(), row.indexOf("1.16") + "1.16".length());
        assertTrue(row.contains("100.00"), "images/s: " + row);
        assertTrue(row.contains("98.32"), "GFLOP/s: " + row);
        assertTrue(lines.get(2).contains("runs: 5 timed after 3 warm-up"), lines.get(2));
    }

    /** The cpu backend chooses its activation layout per network, so its description may differ by model. */
    @Test
    void textNamesEachBackendDescriptionWithItsModelsWhereTheyDiffer() {
        BenchmarkResult blocked = new BenchmarkResult("densenet201", "inference", new Shape(1, 3, 256, 256),
                4_000_000_000L, 20_000_000L, new Timings(List.of(100.0)), 3, "cpu", "cpu (nChw8c)", 2, List.of());
        BenchmarkResult channelsLast = new BenchmarkResult("tiny", "inference", new Shape(1, 3, 224, 224),
                983_244_192L, 1_046_488L, new Timings(List.of(5.0)), 3, "cpu", "cpu (nhwc)", 2, List.of());
        BenchmarkResult alsoChannelsLast = new BenchmarkResult("darknet19", "inference", new Shape(1, 3, 256, 256),
                5_000_000_000L, 20_000_000L, new Timings(List.of(50.0)), 3, "cpu", "cpu (nhwc)", 2, List.of());
        List<String> lines = write(Report.text(), channelsLast, blocked, alsoChannelsLast).lines().toList();
        assertTrue(lines.get(4).endsWith("backend: cpu (nhwc) for tiny, darknet19; cpu (nChw8c) for densenet201"),
                lines.get(4));
    }

    @Test
    void textPutsEachLayerTableBeforeTheModelTable() {
        List<String> lines = write(Report.text(), LAYERED).lines().toList();
        assertEquals("darknet53: time per layer, median of 3 runs, slowest first", lines.get(0));
        assertTrue(lines.get(1).startsWith("layer  type"), lines.get(1));
        assertTrue(lines.get(2).matches("\\s*3  conv  64x128x32\\s+32x64x64\\s+1\\.500\\s+12\\.500\\s+75\\.0%"), lines.get(2));
        assertTrue(lines.get(3).endsWith("25.0%"), lines.get(3));
        assertEquals("", lines.get(4));
        assertTrue(lines.get(5).startsWith("model"), lines.get(5));
    }

    @Test
    void decimalsAreValidJsonNumbersAtAnyMagnitude() {
        assertEquals("0", Formats.decimal(0.00001, 4));
        assertEquals("123456789.5", Formats.decimal(123456789.5, 4));
        assertEquals("0.0001", Formats.decimal(0.00005001, 4));
        assertEquals(1.0E-4, Json.parse(Formats.decimal(0.0001, 4)));
    }

    private static String write(Report report, BenchmarkResult... results) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        report.write(List.of(results), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
