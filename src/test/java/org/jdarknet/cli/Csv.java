package org.jdarknet.cli;

import java.util.ArrayList;
import java.util.List;

/** A strict RFC 4180 reader for checking what {@code --format csv} prints. */
final class Csv {

    private Csv() {
    }

    /** The records of {@code text}, each a list of fields; a malformed quote is an {@link AssertionError}. */
    static List<List<String>> parse(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                    char next = i + 1 < text.length() ? text.charAt(i + 1) : '\n';
                    if (next != ',' && next != '\n' && next != '\r') {
                        throw new AssertionError("text after a closing quote at " + i + ": " + text);
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                if (field.length() > 0) {
                    throw new AssertionError("quote inside an unquoted field at " + i + ": " + text);
                }
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else if (c == '\n') {
                fields.add(field.toString());
                field.setLength(0);
                records.add(fields);
                fields = new ArrayList<>();
            } else if (c != '\r') {
                field.append(c);
            }
        }
        if (quoted) {
            throw new AssertionError("unterminated quote: " + text);
        }
        if (field.length() > 0 || !fields.isEmpty()) {
            fields.add(field.toString());
            records.add(fields);
        }
        return records;
    }
}
