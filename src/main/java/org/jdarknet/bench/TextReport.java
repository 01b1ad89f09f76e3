package org.jdarknet.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The report for people: a per-layer table for each model timed layer by layer, then one table of
 * all models and a line saying how they were timed.
 */
final class TextReport implements Report {

    @Override
    public void write(List<BenchmarkResult> results, PrintStream out) {
        for (BenchmarkResult result : results) {
            if (!result.layers().isEmpty()) {
                out.println(result.model() + ": time per layer, median of " + result.timings().runs()
                        + " runs, slowest first");
                layerTable(result).lines().forEach(out::println);
                out.println();
            }
        }
        modelTable(results).lines().forEach(out::println);
        if (!results.isEmpty()) {
            out.println(howTimed(results));
        }
        out.flush();
    }

    private static Table modelTable(List<BenchmarkResult> results) {
        Table table = new Table(Table.text("model"), Table.text("input"), Table.number("BFLOPs"),
                Table.number("parameters"), Table.number("batch"), Table.number("median ms"),
                Table.number("min ms"), Table.number("max ms"), Table.number("p75/p25"), Table.number("images/s"),
                Table.number("GFLOP/s"), Table.text("backend"), Table.number("threads"));
        for (BenchmarkResult r : results) {
            Timings t = r.timings();
            table.add(r.model(), Formats.dimensions(r.input()), fixed(r.bflops(), 3),
                    String.format(Locale.ROOT, "%,d", r.parameters()), Integer.toString(r.batch()),
                    fixed(t.medianMs(), 2), fixed(t.minMs(), 2), fixed(t.maxMs(), 2), fixed(t.spread(), 2),
                    fixed(r.imagesPerSecond(), 2), fixed(r.gflopsPerSecond(), 2), r.backend(),
                    Integer.toString(r.threads()));
        }
        return table;
    }

    private static Table layerTable(BenchmarkResult result) {
        Table table = new Table(Table.number("layer"), Table.text("type"), Table.text("input"), Table.text("output"),
                Table.number("BFLOPs"), Table.number("ms"), Table.number("share"));
        for (LayerTiming t : result.layers()) {
            table.add(Integer.toString(t.index()), t.kind(), Formats.dimensions(t.input()),
                    Formats.dimensions(t.output()), fixed(t.bflops(), 3), fixed(t.ms(), 3),
                    fixed(100 * t.share(), 1) + "%");
        }
        return table;
    }

    private static String howTimed(List<BenchmarkResult> results) {
        BenchmarkResult first = results.get(0);
        return String.format(Locale.ROOT, "%s of one batch; runs: %d timed after %d warm-up; backend: %s",
                first.workload(), first.timings().runs(), first.warmup(), backends(results));
    }

    /**
     * The backend's description, or where it describes itself differently for some models (the
     * cpu backend's activation layout is chosen per network) each description with its models.
     */
    private static String backends(List<BenchmarkResult> results) {
        Map<String, List<String>> models = new LinkedHashMap<>();
        results.forEach(r -> models.computeIfAbsent(r.backendDescription(), d -> new ArrayList<>()).add(r.model()));
        if (models.size() == 1) {
            return results.get(0).backendDescription();
        }
        return models.entrySet().stream().map(e -> e.getKey() + " for " + String.join(", ", e.getValue()))
                .collect(Collectors.joining("; "));
    }

    private static String fixed(double value, int places) {
        return String.format(Locale.ROOT, "%." + places + "f", value);
    }
}
