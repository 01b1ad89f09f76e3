package org.jdarknet.bench;

import java.util.List;
import java.util.function.Function;
import org.jdarknet.Text;

/**
 * A named value of a result as the machine-readable reports write it: the JSON key and the CSV
 * column are the same name, so the two formats cannot drift apart.
 *
 * @param value a String, an Integer or Long, or a Double (written with {@link #DECIMALS} decimals; one that
 *              is not finite, such as the ratio of two runs too short for the clock, as JSON's null and
 *              an empty CSV cell)
 */
record Field<T>(String name, Function<T, Object> value) {
    static final int DECIMALS = 4;

    /** One row of a benchmark report. */
    static final List<Field<BenchmarkResult>> RESULT = List.of(
            new Field<>("model", BenchmarkResult::model),
            new Field<>("workload", BenchmarkResult::workload),
            new Field<>("width", r -> r.input().w()),
            new Field<>("height", r -> r.input().h()),
            new Field<>("channels", r -> r.input().c()),
            new Field<>("batch", BenchmarkResult::batch),
            new Field<>("flops", BenchmarkResult::flopsPerImage),
            new Field<>("bflops", BenchmarkResult::bflops),
            new Field<>("parameters", BenchmarkResult::parameters),
            new Field<>("runs", r -> r.timings().runs()),
            new Field<>("warmup", BenchmarkResult::warmup),
            new Field<>("median_ms", r -> r.timings().medianMs()),
            new Field<>("min_ms", r -> r.timings().minMs()),
            new Field<>("max_ms", r -> r.timings().maxMs()),
            new Field<>("p25_ms", r -> r.timings().p25Ms()),
            new Field<>("p75_ms", r -> r.timings().p75Ms()),
            new Field<>("p75_p25", r -> r.timings().spread()),
            new Field<>("images_per_s", BenchmarkResult::imagesPerSecond),
            new Field<>("gflops_per_s", BenchmarkResult::gflopsPerSecond),
            new Field<>("backend", BenchmarkResult::backend),
            new Field<>("backend_description", BenchmarkResult::backendDescription),
            new Field<>("threads", BenchmarkResult::threads));

    /** One layer of a per-layer report. */
    static final List<Field<LayerTiming>> LAYER = List.of(
            new Field<>("index", LayerTiming::index),
            new Field<>("type", LayerTiming::kind),
            new Field<>("input", t -> Formats.dimensions(t.input())),
            new Field<>("output", t -> Formats.dimensions(t.output())),
            new Field<>("flops", LayerTiming::flops),
            new Field<>("bflops", LayerTiming::bflops),
            new Field<>("ms", LayerTiming::ms),
            new Field<>("p25_ms", t -> t.timings().p25Ms()),
            new Field<>("p75_ms", t -> t.timings().p75Ms()),
            new Field<>("p75_p25", t -> t.timings().spread()),
            new Field<>("share", LayerTiming::share));

    /** The value as JSON: strings quoted, numbers bare. */
    String json(T row) {
        Object v = value.apply(row);
        if (isNotFinite(v)) {
            return "null";
        }
        return v instanceof String text ? Text.jsonString(text) : number(v);
    }

    /** The value as a CSV cell. */
    String csv(T row) {
        Object v = value.apply(row);
        if (isNotFinite(v)) {
            return "";
        }
        return v instanceof String text ? Text.csvField(text) : number(v);
    }

    private static boolean isNotFinite(Object v) {
        return v instanceof Double d && !Double.isFinite(d);
    }

    private static String number(Object v) {
        return v instanceof Double d ? Formats.decimal(d, DECIMALS) : v.toString();
    }
}
