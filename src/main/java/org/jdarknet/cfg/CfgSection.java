package org.jdarknet.cfg;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jdarknet.Text;

/**
 * A {@code [section]} of a darknet cfg file and its options.
 *
 * <p>Typed getters follow darknet's {@code option_find_*}: the first occurrence of a key wins and a
 * missing optional key yields the default. Unlike darknet, a value that does not parse is an error
 * naming the file, line and key, and keys nobody asked for can be listed as unused.
 */
public final class CfgSection {
    /** A decimal number as a cfg may write one; compiled once, not per value (a cfg has hundreds). */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private final Path file;
    private final String type;
    private final int line;
    private final Map<String, CfgOption> options = new LinkedHashMap<>();
    private final List<CfgOption> repeated = new ArrayList<>();
    private final Set<String> used = new HashSet<>();

    CfgSection(Path file, String type, int line) {
        this.file = file;
        this.type = type;
        this.line = line;
    }

    void add(CfgOption option) {
        if (options.putIfAbsent(option.key(), option) != null) {
            repeated.add(option);
        }
    }

    /** The canonical section type, e.g. {@code convolutional} for both {@code [conv]} and {@code [convolutional]}. */
    public String type() {
        return type;
    }

    public Path file() {
        return file;
    }

    /** Line of the {@code [section]} header. */
    public int line() {
        return line;
    }

    public boolean has(String key) {
        return options.containsKey(key);
    }

    /** The raw option, marking it used; null when absent. */
    public CfgOption option(String key) {
        used.add(key);
        return options.get(key);
    }

    public String getString(String key, String fallback) {
        CfgOption option = option(key);
        return option == null ? fallback : option.value();
    }

    public int getInt(String key, int fallback) {
        CfgOption option = option(key);
        return option == null ? fallback : parseInt(option);
    }

    public float getFloat(String key, float fallback) {
        CfgOption option = option(key);
        return option == null ? fallback : parseFloat(option, option.value());
    }

    public boolean getFlag(String key, boolean fallback) {
        return getInt(key, fallback ? 1 : 0) != 0;
    }

    /** A comma-separated list of integers such as {@code layers=-1,-4}; empty when absent. */
    public int[] getIntList(String key) {
        CfgOption option = option(key);
        if (option == null) {
            return new int[0];
        }
        String[] items = option.value().split(",", -1);
        int[] values = new int[items.length];
        for (int i = 0; i < items.length; i++) {
            values[i] = parseInt(option, items[i]);
        }
        return values;
    }

    /** A comma-separated list of floats such as {@code scales=.1,.1}; empty when absent. */
    public float[] getFloatList(String key) {
        CfgOption option = option(key);
        if (option == null) {
            return new float[0];
        }
        String[] items = option.value().split(",", -1);
        float[] values = new float[items.length];
        for (int i = 0; i < items.length; i++) {
            values[i] = parseFloat(option, items[i]);
        }
        return values;
    }

    /** An error about one of this section's keys (or the section itself when the key is absent). */
    public CfgException error(String key, String message) {
        CfgOption option = options.get(key);
        return new CfgException(file, option == null ? line : option.line(), key, message);
    }

    /** An error about the section as a whole, located at its header. */
    public CfgException error(String message) {
        return new CfgException(file, line, null, "[" + type + "]: " + message);
    }

    /** Options present in the file that no getter asked for, in file order (darknet's "Unused field"). */
    public List<CfgOption> unused() {
        List<CfgOption> unused = new ArrayList<>();
        for (CfgOption option : options.values()) {
            if (!used.contains(option.key())) {
                unused.add(option);
            }
        }
        return Collections.unmodifiableList(unused);
    }

    /** Later duplicates of a key, which darknet (and we) ignore: the first occurrence wins. */
    public List<CfgOption> ignoredDuplicates() {
        return Collections.unmodifiableList(repeated);
    }

    /** Reports unused keys and ignored duplicates through {@code warn}, one line each. */
    public void warnAboutLeftovers(Consumer<String> warn) {
        for (CfgOption option : unused()) {
            warn.accept(String.format("%s:%d: unused field '%s = %s' in [%s]",
                    file, option.line(), Text.excerpt(option.key()), Text.excerpt(option.value()), type));
        }
        for (CfgOption option : repeated) {
            warn.accept(String.format("%s:%d: '%s' repeated in [%s]; the first value is used",
                    file, option.line(), Text.excerpt(option.key()), type));
        }
    }

    private int parseInt(CfgOption option) {
        return parseInt(option, option.value());
    }

    private int parseInt(CfgOption option, String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new CfgException(file, option.line(), option.key(),
                    "expected an integer, found '" + Text.excerpt(text.strip()) + "'");
        }
    }

    private float parseFloat(CfgOption option, String text) {
        String number = text.strip();
        if (!DECIMAL.matcher(number).matches()) {
            throw new CfgException(file, option.line(), option.key(),
                    "expected a number, found '" + Text.excerpt(number) + "'");
        }
        return Float.parseFloat(number);
    }
}
