package org.jdarknet.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * The cases in {@code data/augment.golden}, written by scripts/oracle/darknet-augment.c from the C
 * darknet: a header line (name and parameters) followed by one line of values per output.
 */
final class AugmentGolden {
    record Case(String name, String[] parameters, List<float[]> outputs) {
        float floatParameter(int i) {
            return parse(parameters[i]);
        }

        int intParameter(int i) {
            return Integer.parseInt(parameters[i]);
        }
    }

    private AugmentGolden() {
    }

    static Path resource(String name) {
        try {
            return Path.of(Objects.requireNonNull(AugmentGolden.class.getResource("/data/" + name), name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Case> cases(String name) {
        try {
            Iterator<String> lines = Files.readAllLines(resource("augment.golden")).iterator();
            List<Case> cases = new ArrayList<>();
            while (lines.hasNext()) {
                String[] header = lines.next().split(" ");
                String[] parameters = Arrays.copyOfRange(header, 1, header.length);
                int outputs = header[0].equals("augment_paths") ? Integer.parseInt(parameters[1]) : 1;
                List<float[]> values = new ArrayList<>();
                for (int i = 0; i < outputs; i++) {
                    values.add(parseValues(lines.next()));
                }
                if (header[0].equals(name)) {
                    cases.add(new Case(name, parameters, values));
                }
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static float[] parseValues(String line) {
        String[] tokens = line.split(" ");
        float[] values = new float[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            values[i] = parse(tokens[i]);
        }
        return values;
    }

    /** C's %a, which Java reads, except that C writes NaN as "nan" or "-nan". */
    private static float parse(String token) {
        return token.endsWith("nan") ? Float.NaN : Float.parseFloat(token);
    }
}
