package org.jdarknet.classify;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Class names, one per line, in the order of the network's outputs (darknet's {@code get_labels}). */
public final class Labels {
    private final Path file;
    private final List<String> names;

    private Labels(Path file, List<String> names) {
        this.file = file;
        this.names = names;
    }

    /**
     * Reads {@code file} as darknet's {@code get_labels} does: one name per line, a line's
     * trailing {@code \r} dropped. The whole file is read and split here rather than through
     * {@link Files#readAllLines}, whose decoding runs in the interpreter a one-image
     * {@code classify} starts in: 24-33 ms for ImageNet's 21,842 short names, against 9-12.
     */
    public static Labels read(Path file) {
        try {
            return new Labels(file, lines(text(Files.readAllBytes(file))));
        } catch (NoSuchFileException e) {
            throw new LabelsException(file, "labels file not found");
        } catch (CharacterCodingException e) {
            throw new LabelsException(file, "not a labels file (not UTF-8 text)");
        } catch (IOException e) {
            if (Files.isDirectory(file)) {
                throw new LabelsException(file, "is a directory, not a labels file");
            }
            throw new LabelsException(file, "cannot read labels (" + e.getMessage() + ")");
        }
    }

    /** The bytes as text: ASCII as it is, anything else decoded strictly as UTF-8. */
    private static String text(byte[] bytes) throws CharacterCodingException {
        for (byte b : bytes) {
            if (b < 0) {
                return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
            }
        }
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
            lines.add(withoutCarriageReturn(text, start, end));
            start = end + 1;
        }
        if (start < text.length()) {
            lines.add(withoutCarriageReturn(text, start, text.length()));
        }
        return Collections.unmodifiableList(lines);
    }

    private static String withoutCarriageReturn(String text, int start, int end) {
        return text.substring(start, end > start && text.charAt(end - 1) == '\r' ? end - 1 : end);
    }

    /** The name of output {@code index}; the index itself when the file is too short. */
    public String name(int index) {
        return index < names.size() ? names.get(index) : Integer.toString(index);
    }

    public int size() {
        return names.size();
    }

    public Path file() {
        return file;
    }

    public List<String> asList() {
        return names;
    }
}
