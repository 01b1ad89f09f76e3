package org.jdarknet.bench;

import java.util.ArrayList;
import java.util.List;

/** Splits one RFC 4180 CSV line into its fields, for tests; fails on malformed quoting. */
public final class Csv {

    private Csv() {
    }

    public static List<String> fields(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        while (true) {
            if (i < line.length() && line.charAt(i) == '"') {
                i = quoted(line, i + 1, field);
            } else {
                while (i < line.length() && line.charAt(i) != ',') {
                    if (line.charAt(i) == '"') {
                        throw new IllegalArgumentException("quote inside an unquoted field: " + line);
                    }
                    field.append(line.charAt(i++));
                }
            }
            fields.add(field.toString());
            field.setLength(0);
            if (i == line.length()) {
                return fields;
            }
            if (line.charAt(i) != ',') {
                throw new IllegalArgumentException("text after a closing quote: " + line);
            }
            i++;
        }
    }

    /** Reads a quoted field from just after its opening quote; returns the index after the closing one. */
    private static int quoted(String line, int i, StringBuilder field) {
        while (i < line.length()) {
            char c = line.charAt(i++);
            if (c != '"') {
                field.append(c);
            } else if (i < line.length() && line.charAt(i) == '"') {
                field.append('"');
                i++;
            } else {
                return i;
            }
        }
        throw new IllegalArgumentException("unterminated quote: " + line);
    }
}
