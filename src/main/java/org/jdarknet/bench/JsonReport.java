package org.jdarknet.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.jdarknet.Text;

/** One JSON object per model and line, like {@code classify --format json}. */
final class JsonReport implements Report {

    @Override
    public void write(List<BenchmarkResult> results, PrintStream out) {
        for (BenchmarkResult result : results) {
            List<String> members = members(Field.RESULT, result);
            if (!result.layers().isEmpty()) {
                String layers = result.layers().stream().map(t -> object(members(Field.LAYER, t)))
                        .collect(Collectors.joining(",", "[", "]"));
                members.add(Text.jsonString("layers") + ":" + layers);
            }
            out.println(object(members));
        }
        out.flush();
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
