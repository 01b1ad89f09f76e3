package org.jdarknet.cli;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON reader (RFC 8259) for checking what {@code --format json} prints: objects become
 * maps, arrays lists, numbers BigDecimal. Anything that is not JSON is an {@link AssertionError}.
 */
final class Json {
    private final String text;
    private int position;

    private Json(String text) {
        this.text = text;
    }

    static Object parse(String text) {
        Json json = new Json(text);
        Object value = json.value();
        json.skipWhitespace();
        json.check(json.position == text.length(), "text after the value");
        return value;
    }

    private Object value() {
        skipWhitespace();
        check(position < text.length(), "unexpected end");
        char c = text.charAt(position);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> number();
        };
    }

    private Map<String, Object> object() {
        Map<String, Object> map = new LinkedHashMap<>();
        position++;
        skipWhitespace();
        if (peek('}')) {
            return map;
        }
        do {
            skipWhitespace();
            String key = string();
            skipWhitespace();
            expect(':');
            check(map.put(key, value()) == null, "duplicate key " + key);
            skipWhitespace();
        } while (peek(','));
        expect('}');
        return map;
    }

    private List<Object> array() {
        List<Object> list = new ArrayList<>();
        position++;
        skipWhitespace();
        if (peek(']')) {
            return list;
        }
        do {
            list.add(value());
            skipWhitespace();
        } while (peek(','));
        expect(']');
        return list;
    }

    private String string() {
        expect('"');
        StringBuilder result = new StringBuilder();
        while (true) {
            check(position < text.length(), "unterminated string");
            char c = text.charAt(position++);
            if (c == '"') {
                return result.toString();
            }
            check(c >= 0x20, "control character in a string");
            if (c != '\\') {
                result.append(c);
                continue;
            }
            char escape = text.charAt(position++);
            switch (escape) {
                case '"', '\\', '/' -> result.append(escape);
                case 'b' -> result.append('\b');
                case 'f' -> result.append('\f');
                case 'n' -> result.append('\n');
                case 'r' -> result.append('\r');
                case 't' -> result.append('\t');
                case 'u' -> {
                    result.append((char) Integer.parseInt(text.substring(position, position + 4), 16));
                    position += 4;
                }
                default -> throw new AssertionError("bad escape \\" + escape + " in " + text);
            }
        }
    }

    private BigDecimal number() {
        int start = position;
        while (position < text.length() && "+-0123456789.eE".indexOf(text.charAt(position)) >= 0) {
            position++;
        }
        String number = text.substring(start, position);
        check(number.matches("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?"), "not a JSON number: '" + number + "'");
        return new BigDecimal(number);
    }

    private Object literal(String word, Object value) {
        check(text.startsWith(word, position), "unknown literal");
        position += word.length();
        return value;
    }

    private boolean peek(char c) {
        if (position < text.length() && text.charAt(position) == c) {
            position++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        check(peek(c), "expected '" + c + "'");
    }

    private void skipWhitespace() {
        while (position < text.length() && " \t\r\n".indexOf(text.charAt(position)) >= 0) {
            position++;
        }
    }

    private void check(boolean condition, String problem) {
        if (!condition) {
            throw new AssertionError("invalid JSON at " + position + " (" + problem + "): " + text);
        }
    }
}
