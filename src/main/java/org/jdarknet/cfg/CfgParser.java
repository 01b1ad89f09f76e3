package org.jdarknet.cfg;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jdarknet.Text;

/**
 * Darknet's cfg grammar: {@code [section]} headers, {@code key=value} lines, {@code #} and
 * {@code ;} comment lines, whitespace ignored, CRLF accepted.
 *
 * <p>Darknet strips every whitespace character from a line; we do the same for keys and section
 * names but only trim values, so that a path with a space in it survives. A {@code #} after a value
 * starts a comment (darknet would make it part of the value and, for numbers, silently ignore it).
 */
public final class CfgParser {
    /** Darknet drops whitespace from section names and keys; compiled once, not per line (a cfg has hundreds). */
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    /** Section names darknet accepts, mapped to the canonical name jdarknet uses. */
    private static final Map<String, String> SECTION_ALIASES = Map.ofEntries(
            Map.entry("net", "net"), Map.entry("network", "net"),
            Map.entry("conv", "convolutional"), Map.entry("convolutional", "convolutional"),
            Map.entry("conn", "connected"), Map.entry("connected", "connected"),
            Map.entry("max", "maxpool"), Map.entry("maxpool", "maxpool"),
            Map.entry("avg", "avgpool"), Map.entry("avgpool", "avgpool"),
            Map.entry("soft", "softmax"), Map.entry("softmax", "softmax"),
            Map.entry("shortcut", "shortcut"), Map.entry("route", "route"),
            Map.entry("cost", "cost"), Map.entry("dropout", "dropout"),
            Map.entry("batchnorm", "batchnorm"), Map.entry("crop", "crop"));

    /** Sections darknet knows but jdarknet does not implement: named as such in the error. */
    private static final List<String> UNSUPPORTED_DARKNET_SECTIONS = List.of(
            "deconv", "deconvolutional", "local", "activation", "logistic", "l2norm", "rnn", "gru",
            "lstm", "crnn", "detection", "region", "yolo", "iseg", "reorg", "upsample", "lrn",
            "normalization");

    /** Far above any real cfg (darknet's largest are tens of kilobytes), far below the memory there is. */
    static final int MAX_FILE_BYTES = 16 << 20;
    /** Longer lines are not a cfg: a path or a list of layers fits in a fraction of this. */
    static final int MAX_LINE_CHARS = 1 << 20;

    private CfgParser() {
    }

    /** Reads a sectioned cfg file. The result is never empty: a file without sections is an error. */
    public static List<CfgSection> parseSections(Path file) {
        List<CfgSection> sections = new ArrayList<>();
        List<String> lines = readLines(file);
        for (int i = 0; i < lines.size(); i++) {
            int lineNumber = i + 1;
            String line = withoutComment(lines.get(i));
            if (line.isEmpty()) {
                continue;
            }
            if (line.charAt(0) == '[') {
                sections.add(new CfgSection(file, sectionType(file, lineNumber, line), lineNumber));
            } else if (sections.isEmpty()) {
                throw new CfgException(file, lineNumber, null, "option '" + Text.excerpt(line) + "' before the first [section]");
            } else {
                sections.get(sections.size() - 1).add(option(file, lineNumber, line));
            }
        }
        if (sections.isEmpty()) {
            throw new CfgException(file, "no [sections] found; is this a darknet .cfg file?");
        }
        return sections;
    }

    /** Reads a flat {@code key=value} file such as a darknet {@code .data} file, as one section. */
    public static CfgSection parseFlat(Path file, String name) {
        CfgSection section = new CfgSection(file, name, 0);
        List<String> lines = readLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = withoutComment(lines.get(i));
            if (!line.isEmpty()) {
                section.add(option(file, i + 1, line));
            }
        }
        return section;
    }

    private static List<String> readLines(Path file) {
        String text = decode(file, readBounded(file));
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).length() > MAX_LINE_CHARS) {
                throw new CfgException(file, i + 1, null, "a line of " + lines.get(i).length()
                        + " characters, more than the " + MAX_LINE_CHARS + " a cfg line may have: '"
                        + Text.excerpt(lines.get(i)) + "'");
            }
        }
        return lines;
    }

    /**
     * The file's bytes, read only up to {@link #MAX_FILE_BYTES}: {@code /dev/zero}, a pipe that
     * never ends or a huge file given by mistake is an error, not the whole memory.
     */
    private static byte[] readBounded(Path file) {
        if (Files.isDirectory(file)) {
            throw new CfgException(file, "is a directory, not a file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            if (bytes.length > MAX_FILE_BYTES) {
                throw new CfgException(file, "larger than " + (MAX_FILE_BYTES >> 20)
                        + " MiB; darknet cfg and .data files are a few kilobytes. Is this a cfg file?");
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw new CfgException(file, "file not found");
        } catch (AccessDeniedException e) {
            throw new CfgException(file, "permission denied");
        } catch (IOException e) {
            throw new CfgException(file, "cannot read: " + e.getMessage());
        }
    }

    private static String decode(Path file, byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new CfgException(file, "not a text file (invalid UTF-8)");
        }
    }

    /** Strips whitespace and comments; a line that is only a comment becomes empty. */
    private static String withoutComment(String raw) {
        String line = raw.strip();
        if (line.isEmpty() || line.charAt(0) == '#' || line.charAt(0) == ';') {
            return "";
        }
        int hash = line.indexOf('#');
        return hash < 0 ? line : line.substring(0, hash).strip();
    }

    private static String sectionType(Path file, int lineNumber, String line) {
        String compact = WHITESPACE.matcher(line).replaceAll("");
        if (compact.indexOf(']') != compact.length() - 1) {
            throw new CfgException(file, lineNumber, null, "malformed section header '" + Text.excerpt(line) + "'; expected [name]");
        }
        String name = compact.substring(1, compact.length() - 1);
        String canonical = SECTION_ALIASES.get(name);
        if (canonical != null) {
            return canonical;
        }
        if (UNSUPPORTED_DARKNET_SECTIONS.contains(name)) {
            throw new CfgException(file, lineNumber, null,
                    "[" + name + "] is a darknet layer that jdarknet does not implement (classifier layers only)");
        }
        throw new CfgException(file, lineNumber, null, "unknown section [" + Text.excerpt(name) + "]; known: "
                + String.join(", ", new java.util.TreeSet<>(SECTION_ALIASES.keySet())));
    }

    private static CfgOption option(Path file, int lineNumber, String line) {
        int equals = line.indexOf('=');
        if (equals < 0) {
            throw new CfgException(file, lineNumber, null, "expected key=value, found '" + Text.excerpt(line) + "'");
        }
        String key = WHITESPACE.matcher(line.substring(0, equals)).replaceAll("");
        String value = line.substring(equals + 1).strip();
        if (key.isEmpty()) {
            throw new CfgException(file, lineNumber, null, "missing key before '=' in '" + Text.excerpt(line) + "'");
        }
        if (value.isEmpty()) {
            // Darknet prints "could parse" and drops the line, silently falling back to the default.
            throw new CfgException(file, lineNumber, key, "no value after '='");
        }
        return new CfgOption(key, value, lineNumber);
    }
}
