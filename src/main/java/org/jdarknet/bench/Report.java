package org.jdarknet.bench;

import java.io.PrintStream;
import java.util.List;

/** Writes a benchmark's results to stdout, in one of the formats {@code benchmark} offers. */
public interface Report {

    void write(List<BenchmarkResult> results, PrintStream out);

    /** The aligned table for people, with per-layer tables before it when there are any. */
    static Report text() {
        return new TextReport();
    }

    /** JSON Lines: one object per model, per-layer times nested under {@code layers}. */
    static Report json() {
        return new JsonReport();
    }

    /** A header and one row per model; per-layer times do not fit one table and are left out. */
    static Report csv() {
        return new CsvReport();
    }
}
