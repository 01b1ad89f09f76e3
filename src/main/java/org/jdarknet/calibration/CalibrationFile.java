package org.jdarknet.calibration;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdarknet.AtomicFile;
import org.jdarknet.Text;

/**
 * The calibration file: UTF-8 text, one entry a line, {@code #} starting a comment line.
 * <pre>
 * # jdarknet calibration 2
 * cfg darknet19.cfg
 * network 1f0e3c5a9b2d4e67
 * images 4
 * layers 22
 * input 1.0
 * layer 0 conv 2.71828 3.14159
 * layer 1 max 2.71828
 * ...
 * </pre>
 * The first line names the format and its version. {@code network} is the fingerprint of the
 * network measured ({@link Calibration#fingerprint}); {@code layers} its layer count, and every
 * layer from 0 to count-1 has one {@code layer INDEX KIND RANGE [PRE_ACTIVATION]} line, the
 * last field a convolution's range before its activation; ranges are positive finite numbers
 * (written as Java prints a float, so that they read back exactly). Format 1, whose layer lines
 * have no PRE_ACTIVATION, is still read.
 */
final class CalibrationFile {
    static final String HEADER = "# jdarknet calibration 2";
    /** The first format: no pre-activation ranges. */
    static final String HEADER_1 = "# jdarknet calibration 1";
    private static final String LAYER_SYNTAX = "'layer INDEX KIND RANGE [PRE_ACTIVATION]'";
    private static final String LAYER_SYNTAX_1 = "'layer INDEX KIND RANGE' (format 1)";

    private final Path file;
    private boolean firstFormat;
    private final Map<String, Integer> headerLines = new HashMap<>();
    private final Map<String, String> headerValues = new HashMap<>();
    private final Map<Integer, Integer> layerLines = new HashMap<>();
    private final Map<Integer, Calibration.LayerRange> ranges = new HashMap<>();

    private CalibrationFile(Path file) {
        this.file = file;
    }

    static void write(Calibration calibration, Path file) {
        StringBuilder text = new StringBuilder(HEADER).append('\n')
                .append("# the largest |value| of the network's input and of each layer's output, measured in fp32;\n")
                .append("# on a convolution's line, then that of its output before the activation (after batch norm and bias)\n")
                .append("cfg ").append(calibration.cfg()).append('\n')
                .append("network ").append(calibration.network()).append('\n')
                .append("images ").append(calibration.images()).append('\n')
                .append("layers ").append(calibration.layers().size()).append('\n')
                .append("input ").append(calibration.input()).append('\n');
        for (Calibration.LayerRange layer : calibration.layers()) {
            text.append("layer ").append(layer.index()).append(' ').append(layer.kind()).append(' ').append(layer.range());
            if (!Float.isNaN(layer.preActivation())) {
                text.append(' ').append(layer.preActivation());
            }
            text.append('\n');
        }
        try {
            AtomicFile.writeString(file, text.toString());
        } catch (IOException e) {
            throw new CalibrationException(file + ": cannot write the calibration: " + AtomicFile.reason(e), e);
        }
    }

    static Calibration read(Path file) {
        return new CalibrationFile(file).parse(lines(file));
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CalibrationException(file + ": calibration file not found", e);
        } catch (CharacterCodingException e) {
            throw new CalibrationException(file + ": not a calibration file (not UTF-8 text)", e);
        } catch (IOException e) {
            throw new CalibrationException(file + ": cannot read the calibration: " + AtomicFile.reason(e), e);
        }
    }

    private Calibration parse(List<String> lines) {
        String header = lines.isEmpty() ? "" : lines.get(0).strip();
        if (!header.equals(HEADER) && !header.equals(HEADER_1)) {
            throw CalibrationException.at(file, 1, "not a jdarknet calibration file (the first line must be '"
                    + HEADER + "', or '" + HEADER_1 + "')");
        }
        firstFormat = header.equals(HEADER_1);
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (!line.isEmpty() && !line.startsWith("#")) {
                entry(i + 1, line);
            }
        }
        int count = count(header("layers"), "layers");
        List<Calibration.LayerRange> layers = new ArrayList<>();
        for (int index = 0; index < count; index++) {
            Calibration.LayerRange layer = ranges.get(index);
            if (layer == null) {
                throw CalibrationException.at(file, headerLines.get("layers"), "no range for layer " + index
                        + " (the network has layers 0.." + (count - 1) + ")");
            }
            layers.add(layer);
        }
        for (Map.Entry<Integer, Integer> layer : layerLines.entrySet()) {
            if (layer.getKey() >= count) {
                throw CalibrationException.at(file, layer.getValue(), "layer " + layer.getKey()
                        + " is beyond the " + count + " layers the 'layers' line declares");
            }
        }
        return new Calibration(header("cfg"), fingerprint(), count(header("images"), "images"),
                range(header("input"), headerLines.get("input")), layers, file);
    }

    private void entry(int number, String line) {
        String[] parts = line.split("\\s+", 2);
        String key = parts[0];
        String value = parts.length > 1 ? parts[1] : "";
        switch (key) {
            case "cfg", "network", "images", "layers", "input" -> headerEntry(number, key, value);
            case "layer" -> layerEntry(number, value);
            default -> throw CalibrationException.at(file, number, "unknown entry '" + Text.excerpt(key)
                    + "'; expected cfg, network, images, layers, input or layer");
        }
    }

    private void headerEntry(int number, String key, String value) {
        Integer earlier = headerLines.putIfAbsent(key, number);
        if (earlier != null) {
            throw CalibrationException.at(file, number, "a second '" + key + "' line (the first is line " + earlier + ")");
        }
        if (value.isEmpty()) {
            throw CalibrationException.at(file, number, "'" + key + "' without a value");
        }
        headerValues.put(key, value);
    }

    private void layerEntry(int number, String value) {
        String[] fields = value.split("\\s+");
        if (fields.length != 3 && (firstFormat || fields.length != 4)) {
            throw CalibrationException.at(file, number, "expected " + (firstFormat ? LAYER_SYNTAX_1 : LAYER_SYNTAX)
                    + ", found 'layer " + Text.excerpt(value) + "'");
        }
        int index = index(fields[0], number);
        Integer earlier = layerLines.putIfAbsent(index, number);
        if (earlier != null) {
            throw CalibrationException.at(file, number, "a second range for layer " + index
                    + " (the first is on line " + earlier + ")");
        }
        float preActivation = fields.length == 4 ? range(fields[3], number) : Float.NaN;
        ranges.put(index, new Calibration.LayerRange(index, fields[1], range(fields[2], number), preActivation));
    }

    private int index(String text, int number) {
        try {
            int index = Integer.parseInt(text);
            if (index >= 0) {
                return index;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw CalibrationException.at(file, number, "expected " + LAYER_SYNTAX + " with INDEX a layer number, found '"
                + Text.excerpt(text) + "'");
    }

    private float range(String text, int number) {
        float range;
        try {
            range = Float.parseFloat(text);
        } catch (NumberFormatException e) {
            range = Float.NaN;
        }
        if (!(range > 0) || Float.isInfinite(range)) {
            throw CalibrationException.at(file, number, "a range must be a positive finite number, found '"
                    + Text.excerpt(text) + "'");
        }
        return range;
    }

    private int count(String text, String key) {
        try {
            int count = Integer.parseInt(text);
            if (count >= 1) {
                return count;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw CalibrationException.at(file, headerLines.get(key), "'" + key + "' must be a whole number of at least 1, found '"
                + Text.excerpt(text) + "'");
    }

    private String fingerprint() {
        String value = header("network");
        if (!value.matches("[0-9a-f]+")) {
            throw CalibrationException.at(file, headerLines.get("network"), "'network' must be a hex fingerprint, found '"
                    + Text.excerpt(value) + "'");
        }
        return value;
    }

    private String header(String key) {
        String value = headerValues.get(key);
        if (value == null) {
            throw new CalibrationException(file + ": no '" + key + "' line; a calibration file has cfg, network, images,"
                    + " layers and input lines (see docs/precision.md)");
        }
        return value;
    }
}
