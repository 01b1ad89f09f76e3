package org.jdarknet.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.stream.Collectors;

/** A header line, then one line per model. */
final class CsvReport implements Report {

    @Override
    public void write(List<BenchmarkResult> results, PrintStream out) {
        out.println(Field.RESULT.stream().map(Field::name).collect(Collectors.joining(",")));
        for (BenchmarkResult result : results) {
            out.println(Field.RESULT.stream().map(f -> f.csv(result)).collect(Collectors.joining(",")));
        }
        out.flush();
    }
}
