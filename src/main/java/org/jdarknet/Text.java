package org.jdarknet;

/** How jdarknet quotes strings in its machine-readable outputs (JSON Lines and CSV) and in its messages. */
public final class Text {
    /** Values longer than this are cut in messages, which must stay one readable line. */
    static final int EXCERPT_LENGTH = 60;

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

    /**
     * A value as an error message shows it: invisible characters (controls such as NUL, format
     * characters such as a zero-width space or a byte-order mark) escaped as {@code \\uXXXX}, and a
     * long value cut to its start followed by its length, so that a 50 MB cfg value or a stray
     * NUL byte still gives one line that says what is there.
     */
    public static String excerpt(String value) {
        boolean cut = value.length() > EXCERPT_LENGTH;
        String start = cut ? value.substring(0, EXCERPT_LENGTH) : value;
        StringBuilder shown = new StringBuilder();
        start.codePoints().forEach(c -> {
            if (invisible(c)) {
                shown.append(String.format("\\u%04x", c));
            } else {
                shown.appendCodePoint(c);
            }
        });
        return cut ? shown + "... (" + value.length() + " characters)" : shown.toString();
    }

    private static boolean invisible(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.UNASSIGNED
                || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.SURROGATE || type == Character.PRIVATE_USE;
    }
}
