package org.jdarknet.conformance;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What an oracle computed for one model, weights seed and image, reduced to a few kilobytes: for
 * every layer the count, sum, sum of squares and largest magnitude of its output, plus values at a
 * few fixed positions; and the network's whole final output.
 *
 * <p>Text, one item per line: {@code key value} header lines, then
 * {@code layer INDEX COUNT SUM SUMSQ MAXABS POS:VALUE...} and {@code output VALUE...}. Doubles are
 * written with 17 significant digits and floats with 9, so both read back exactly.
 *
 * @param exact whether the oracle computes as darknet does (compare bit for bit) or is a
 *              float64 reference (compare with a tolerance)
 */
record Golden(Map<String, String> header, List<LayerSummary> layers, double[] output, boolean exact) {
    static final int SAMPLES = 12;

    /** A layer's output, summarised. */
    record LayerSummary(int index, int count, double sum, double sumOfSquares, double maxAbs, int[] positions, double[] values) {

        static LayerSummary of(int index, double[] values) {
            double sum = 0;
            double squares = 0;
            double max = 0;
            for (double value : values) {
                sum += value;
                squares += value * value;
                max = Math.max(max, Math.abs(value));
            }
            int[] positions = samplePositions(values.length);
            double[] sampled = new double[positions.length];
            for (int i = 0; i < positions.length; i++) {
                sampled[i] = values[positions[i]];
            }
            return new LayerSummary(index, values.length, sum, squares, max, positions, sampled);
        }
    }

    /** Evenly spread positions, offset a little so they do not all fall on row or channel starts. */
    static int[] samplePositions(int count) {
        int n = Math.min(SAMPLES, count);
        int[] positions = new int[n];
        for (int i = 0; i < n; i++) {
            positions[i] = (int) (((long) i * count + (long) count * 7 / 13) / n) % count;
        }
        return positions;
    }

    static double[] widen(float[] values) {
        double[] wide = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            wide[i] = values[i];
        }
        return wide;
    }

    static String sha256(float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return sha256(bytes.array());
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    void write(Path file) throws IOException {
        StringBuilder text = new StringBuilder();
        header.forEach((key, value) -> text.append(key).append(' ').append(value).append('\n'));
        for (LayerSummary layer : layers) {
            text.append(String.format(Locale.ROOT, "layer %d %d %s %s %s", layer.index(), layer.count(),
                    number(layer.sum(), true), number(layer.sumOfSquares(), true), number(layer.maxAbs(), true)));
            for (int i = 0; i < layer.positions().length; i++) {
                text.append(' ').append(layer.positions()[i]).append(':').append(number(layer.values()[i], !exact));
            }
            text.append('\n');
        }
        text.append("output");
        for (double value : output) {
            text.append(' ').append(number(value, !exact));
        }
        Files.writeString(file, text.append('\n'));
    }

    private static String number(double value, boolean wide) {
        return wide ? String.format(Locale.ROOT, "%.17g", value) : String.format(Locale.ROOT, "%.9g", (float) value);
    }

    static Golden read(Path file) throws IOException {
        Map<String, String> header = new LinkedHashMap<>();
        List<LayerSummary> layers = new ArrayList<>();
        double[] output = new double[0];
        for (String line : Files.readAllLines(file)) {
            String[] words = line.split(" ");
            switch (words[0]) {
                case "layer" -> layers.add(parseLayer(words));
                case "output" -> output = parseNumbers(words, 1, words.length);
                default -> header.put(words[0], line.substring(words[0].length() + 1));
            }
        }
        return new Golden(header, layers, output, header.get("oracle").startsWith("darknet"));
    }

    private static LayerSummary parseLayer(String[] words) {
        int samples = words.length - 6;
        int[] positions = new int[samples];
        double[] values = new double[samples];
        for (int i = 0; i < samples; i++) {
            String[] pair = words[6 + i].split(":");
            positions[i] = Integer.parseInt(pair[0]);
            values[i] = Double.parseDouble(pair[1]);
        }
        return new LayerSummary(Integer.parseInt(words[1]), Integer.parseInt(words[2]), Double.parseDouble(words[3]),
                Double.parseDouble(words[4]), Double.parseDouble(words[5]), positions, values);
    }

    private static double[] parseNumbers(String[] words, int from, int to) {
        double[] values = new double[to - from];
        for (int i = from; i < to; i++) {
            values[i - from] = Double.parseDouble(words[i]);
        }
        return values;
    }
}
