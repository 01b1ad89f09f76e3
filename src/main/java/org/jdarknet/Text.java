package org.jdarknet;

/** How jdarknet quotes strings in its machine-readable outputs (JSON Lines and CSV). */
public final class Text {

    private Text() {
    }

    /** A JSON string literal: quotes, backslashes and control characters escaped. */
    public static String jsonString(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> quoted.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return quoted.append('"').toString();
    }

    /** A CSV field (RFC 4180): quoted when it holds a comma, quote or line break, with quotes doubled. */
    public static String csvField(String text) {
        boolean plain = text.chars().noneMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r');
        return plain ? text : '"' + text.replace("\"", "\"\"") + '"';
    }
}
