package org.jdarknet.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.jdarknet.Text;

/**
 * One JSON object per model and line, like {@code classify --format json}, with every timed run
 * ({@code runs_ms}) beside the summary, for the model and for each layer.
 */
final class JsonReport implements Report {

    @Override
    public void write(List<BenchmarkResult> results, PrintStream out) {
        for (BenchmarkResult result : results) {
            List<String> members = members(Field.RESULT, result);
            members.add(runs(result.timings()));
            if (!result.layers().isEmpty()) {
                String layers = result.layers().stream().map(JsonReport::layer)
                        .collect(Collectors.joining(",", "[", "]"));
                members.add(Text.jsonString("layers") + ":" + layers);
            }
            out.println(object(members));
        }
        out.flush();
    }

    private static String layer(LayerTiming timing) {
        List<String> members = members(Field.LAYER, timing);
        members.add(runs(timing.timings()));
        return object(members);
    }

    /** {@code "runs_ms":[...]}: every timed run in the order they ran, so that anyone can check the summary. */
    private static String runs(Timings timings) {
        return Text.jsonString("runs_ms") + ":" + timings.runsMs().stream()
                .map(ms -> Formats.decimal(ms, Field.DECIMALS)).collect(Collectors.joining(",", "[", "]"));
    }

    private static <T> List<String> members(List<Field<T>> fields, T row) {
        List<String> members = new ArrayList<>();
        for (Field<T> field : fields) {
            members.add(Text.jsonString(field.name()) + ":" + field.json(row));
        }
        return members;
    }

    private static String object(List<String> members) {
        return String.join(",", members).transform(text -> "{" + text + "}");
    }
}
