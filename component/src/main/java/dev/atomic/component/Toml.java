package dev.atomic.component;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The subset of TOML 1.0 manifests are written in, read with the line of every key and value so that each error can
 * point at its line, and with every error collected rather than only the first: tables, arrays of tables, dotted and
 * quoted keys, basic and literal strings, integers, floats, booleans, arrays and inline tables (which, as in TOML 1.1,
 * may span lines). Multi-line strings,
 * dates and times, and hexadecimal, octal, binary, infinite or NaN numbers are refused as unsupported: no manifest
 * field takes them. (Atomic's own reader because tomlj, the one Java TOML library that keeps each value's line,
 * spends 120–360 ms on its first document in a fresh JVM, which every component start would pay, and Jackson's TOML
 * module keeps no lines.)
 */
final class Toml {
    /** A value and the line it starts on; {@code value} is a String, Long, Double, Boolean, List of Value or Table. */
    record Value(Object value, int line) {
    }

    /** A table and the line that opened it (0 for the document itself). */
    static final class Table {
        final Map<String, Value> entries = new LinkedHashMap<>();
        final int line;
        /** What made it, which decides what may add to it later (TOML defines each table once). */
        Origin origin;

        Table(int line, Origin origin) {
            this.line = line;
            this.origin = origin;
        }
    }

    /**
     * IMPLICIT: named only as the parent in a header, so a header may still open it; HEADER: opened by its [header];
     * DOTTED: made by a dotted key, so only dotted keys add to it; INLINE: complete as written.
     */
    private enum Origin { IMPLICIT, HEADER, DOTTED, INLINE }

    /** An array made by [[headers]], to which later headers append. */
    private static final class TableArray extends ArrayList<Value> {
    }

    private static final String DIGITS = "(0|[1-9](_?\\d)*)";
    private static final Pattern INTEGER = Pattern.compile("[+-]?" + DIGITS);
    private static final Pattern FLOAT = Pattern.compile("[+-]?" + DIGITS + "(\\.\\d(_?\\d)*)?([eE][+-]?\\d(_?\\d)*)?");

    private final String text;
    private final List<String> errors = new ArrayList<>();
    private final Table root = new Table(0, Origin.HEADER);
    private int at;
    private int line = 1;

    private Toml(String text) {
        this.text = text;
    }

    /** The document, and each error as {@code line: message} (an empty list when it is well formed). */
    record Result(Table root, List<String> errors) {
    }

    static Result parse(String text) {
        Toml toml = new Toml(text);
        toml.document();
        return new Result(toml.root, List.copyOf(toml.errors));
    }

    private static final class SyntaxError extends RuntimeException {
        final int line;

        SyntaxError(int line, String message) {
            super(message, null, false, false);
            this.line = line;
        }
    }

    private void document() {
        Table current = root;
        while (at < text.length()) {
            int startAt = at;
            int startLine = line;
            try {
                skipSpaces();
                if (at >= text.length()) {
                    break;
                }
                char c = text.charAt(at);
                if (c == '\n' || c == '#' || c == '\r') {
                    endOfLine();
                } else if (c == '[') {
                    // Until this header is read whole, what follows belongs to no table the document has.
                    current = new Table(line, Origin.HEADER);
                    current = header();
                    endOfLine();
                } else {
                    keyValue(current);
                    endOfLine();
                }
            } catch (SyntaxError e) {
                errors.add(e.line + ": " + e.getMessage());
                at = startAt;
                line = startLine;
                recover();
            }
        }
    }

    /**
     * After an error: skip the statement from its start, through any bracket it opens, to the next line — or to an
     * earlier line that starts a key or a table, where an array left open by mistake must have ended.
     */
    private void recover() {
        int depth = 0;
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c == '"' || c == '\'') {
                int close = text.indexOf(c, at + 1);
                int newline = text.indexOf('\n', at + 1);
                at = close >= 0 && (newline < 0 || close < newline) ? close + 1 : newline < 0 ? text.length() : newline;
                continue;
            }
            if (c == '#') {
                int newline = text.indexOf('\n', at);
                at = newline < 0 ? text.length() : newline;
                continue;
            }
            at++;
            if (c == '[' || c == '{') {
                depth++;
            } else if ((c == ']' || c == '}') && depth > 0) {
                depth--;
            } else if (c == '\n') {
                line++;
                if (depth == 0 || Recovery.STATEMENT.matcher(text).region(at, text.length()).lookingAt()) {
                    return;
                }
            }
        }
    }

    /** Compiled only when a document has an error. */
    private static final class Recovery {
        /** A line that can only start a statement: {@code key =} or a table header. */
        static final Pattern STATEMENT = Pattern.compile("[ \t]*([A-Za-z0-9_.\"' -]+=|\\[\\[?[A-Za-z0-9_.\"' -]+]]?[ \t]*(#.*)?$)",
                Pattern.MULTILINE);
    }

    private Table header() {
        int headerLine = line;
        boolean array = text.startsWith("[[", at);
        at += array ? 2 : 1;
        List<String> path = keyPath();
        skipSpaces();
        if (!text.startsWith(array ? "]]" : "]", at)) {
            throw new SyntaxError(line, "expected '" + (array ? "]]" : "]") + "' to close the table header");
        }
        at += array ? 2 : 1;
        Table parent = descend(root, path.subList(0, path.size() - 1), headerLine, false);
        String last = path.getLast();
        String name = String.join(".", path);
        Value existing = parent.entries.get(last);
        if (array) {
            TableArray tables;
            if (existing == null) {
                tables = new TableArray();
                parent.entries.put(last, new Value(tables, headerLine));
            } else if (existing.value() instanceof TableArray t) {
                tables = t;
            } else {
                throw new SyntaxError(headerLine, "[[" + name + "]] cannot add to '" + name + "', defined on line "
                        + existing.line() + " as " + describe(existing.value()));
            }
            Table table = new Table(headerLine, Origin.HEADER);
            tables.add(new Value(table, headerLine));
            return table;
        }
        if (existing == null) {
            Table table = new Table(headerLine, Origin.HEADER);
            parent.entries.put(last, new Value(table, headerLine));
            return table;
        }
        if (existing.value() instanceof Table t && t.origin == Origin.IMPLICIT) {
            t.origin = Origin.HEADER;
            return t;
        }
        throw new SyntaxError(headerLine, "[" + name + "] is already defined on line " + existing.line());
    }

    /**
     * Walks down to the table {@code path} names, making the tables that do not exist yet: for a header, through
     * anything but values and inline tables; for a dotted key, only through tables dotted keys made.
     */
    private Table descend(Table from, List<String> path, int keyLine, boolean dotted) {
        Table table = from;
        for (String key : path) {
            Value v = table.entries.get(key);
            if (v == null) {
                Table made = new Table(keyLine, dotted ? Origin.DOTTED : Origin.IMPLICIT);
                table.entries.put(key, new Value(made, keyLine));
                table = made;
            } else if (v.value() instanceof TableArray tables && !dotted) {
                table = (Table) tables.getLast().value();
            } else if (v.value() instanceof Table t && (dotted ? t.origin == Origin.DOTTED : t.origin != Origin.INLINE)) {
                table = t;
            } else {
                throw new SyntaxError(keyLine, "'" + key + "' is already defined on line " + v.line() + " as "
                        + describe(v.value()));
            }
        }
        return table;
    }

    private void keyValue(Table table) {
        int keyLine = line;
        List<String> path = keyPath();
        skipSpaces();
        if (at >= text.length() || text.charAt(at) != '=') {
            throw new SyntaxError(line, "expected '=' after the key '" + String.join(".", path) + "'");
        }
        at++;
        skipSpaces();
        Object value = value();
        Table target = descend(table, path.subList(0, path.size() - 1), keyLine, true);
        String key = path.getLast();
        Value existing = target.entries.get(key);
        if (existing != null) {
            throw new SyntaxError(keyLine, "'" + String.join(".", path) + "' is already defined on line "
                    + existing.line());
        }
        target.entries.put(key, new Value(value, keyLine));
    }

    private List<String> keyPath() {
        List<String> path = new ArrayList<>();
        while (true) {
            skipSpaces();
            path.add(key());
            skipSpaces();
            if (at < text.length() && text.charAt(at) == '.') {
                at++;
            } else {
                return path;
            }
        }
    }

    private String key() {
        if (at >= text.length()) {
            throw new SyntaxError(line, "expected a key");
        }
        char c = text.charAt(at);
        if (c == '"' || c == '\'') {
            return string();
        }
        int start = at;
        while (at < text.length() && bare(text.charAt(at))) {
            at++;
        }
        if (start == at) {
            throw new SyntaxError(line, "expected a key, found " + found());
        }
        return text.substring(start, at);
    }

    private static boolean bare(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-';
    }

    private Object value() {
        if (at >= text.length()) {
            throw new SyntaxError(line, "expected a value");
        }
        char c = text.charAt(at);
        return switch (c) {
            case '"', '\'' -> string();
            case '[' -> array();
            case '{' -> inlineTable();
            default -> {
                int start = at;
                while (at < text.length() && (bare(text.charAt(at)) || "+.:".indexOf(text.charAt(at)) >= 0)) {
                    at++;
                }
                yield scalar(text.substring(start, at));
            }
        };
    }

    private Object scalar(String word) {
        switch (word) {
            case "true":
                return Boolean.TRUE;
            case "false":
                return Boolean.FALSE;
            case "":
                throw new SyntaxError(line, "expected a value, found " + found());
            default:
                break;
        }
        if (INTEGER.matcher(word).matches()) {
            try {
                return Long.parseLong(word.replace("_", ""));
            } catch (NumberFormatException e) {
                throw new SyntaxError(line, word + " does not fit a 64-bit integer");
            }
        }
        if (FLOAT.matcher(word).matches()) {
            return Double.parseDouble(word.replace("_", ""));
        }
        if (word.matches("[+-]?(inf|nan)")) {
            throw new SyntaxError(line, "infinity and NaN are not used in manifests");
        }
        if (word.matches("[+-]?0[xob].*")) {
            throw new SyntaxError(line, "hexadecimal, octal and binary numbers are not used in manifests: write "
                    + "'" + word + "' in decimal");
        }
        if (word.matches("\\d{4}-\\d{2}-\\d{2}.*|\\d{2}:\\d{2}.*")) {
            throw new SyntaxError(line, "dates and times are not used in manifests; found " + word);
        }
        throw new SyntaxError(line, "expected a value (a \"string\", a number, true, false, [an array] or "
                + "{an inline table}), found " + word);
    }

    private String string() {
        char quote = text.charAt(at);
        if (text.startsWith(String.valueOf(quote).repeat(3), at)) {
            throw new SyntaxError(line, "multi-line strings are not used in manifests");
        }
        at++;
        StringBuilder b = new StringBuilder();
        while (true) {
            if (at >= text.length() || text.charAt(at) == '\n') {
                throw new SyntaxError(line, "a string is not closed on its line");
            }
            char c = text.charAt(at++);
            if (c == quote) {
                return b.toString();
            }
            if (c == '\\' && quote == '"') {
                b.append(escape());
            } else if (c < 0x20 && c != '\t' || c == 0x7f) {
                throw new SyntaxError(line, "control character U+" + String.format("%04X", (int) c)
                        + " in a string: write it as an escape");
            } else {
                b.append(c);
            }
        }
    }

    private String escape() {
        if (at >= text.length()) {
            throw new SyntaxError(line, "a string is not closed on its line");
        }
        char c = text.charAt(at++);
        return switch (c) {
            case 'b' -> "\b";
            case 't' -> "\t";
            case 'n' -> "\n";
            case 'f' -> "\f";
            case 'r' -> "\r";
            case '"' -> "\"";
            case '\\' -> "\\";
            case 'u', 'U' -> {
                int digits = c == 'u' ? 4 : 8;
                String hex = at + digits <= text.length() ? text.substring(at, at + digits) : "";
                if (!hex.matches("[0-9A-Fa-f]{" + digits + "}")) {
                    throw new SyntaxError(line, "\\" + c + " takes " + digits + " hexadecimal digits");
                }
                int code = Integer.parseInt(hex, 16);
                if (!Character.isValidCodePoint(code) || code >= 0xD800 && code <= 0xDFFF) {
                    throw new SyntaxError(line, "\\" + c + hex + " is not a Unicode scalar value");
                }
                at += digits;
                yield Character.toString(code);
            }
            default -> throw new SyntaxError(line, "unknown escape \\" + c + " in a string");
        };
    }

    private List<Value> array() {
        int openLine = line;
        at++;
        List<Value> items = new ArrayList<>();
        while (true) {
            skipBlanksAndComments();
            if (at >= text.length()) {
                throw new SyntaxError(line, "an array is not closed");
            }
            if (text.charAt(at) == ']') {
                at++;
                return items;
            }
            int itemLine = line;
            items.add(new Value(value(), itemLine));
            skipBlanksAndComments();
            if (at < text.length() && text.charAt(at) == ',') {
                at++;
            } else if (at >= text.length() || text.charAt(at) != ']') {
                throw line == openLine ? new SyntaxError(line, "expected ',' or ']' in an array, found " + found())
                        : new SyntaxError(openLine, "the array is not closed: expected ',' or ']' before " + found()
                        + " on line " + line);
            }
        }
    }

    /** An inline table; like TOML 1.1 (not 1.0) it may span lines and end with a comma. */
    private Table inlineTable() {
        Table table = new Table(line, Origin.DOTTED);
        at++;
        int openLine = line;
        while (true) {
            skipBlanksAndComments();
            if (at < text.length() && text.charAt(at) == '}') { // after a trailing comma
                at++;
                table.origin = Origin.INLINE;
                return table;
            }
            keyValue(table);
            skipBlanksAndComments();
            if (at < text.length() && text.charAt(at) == ',') {
                at++;
            } else if (at < text.length() && text.charAt(at) == '}') {
                at++;
                table.origin = Origin.INLINE;
                return table;
            } else {
                throw line == openLine ? new SyntaxError(line, "expected ',' or '}' in an inline table, found " + found())
                        : new SyntaxError(openLine, "the inline table is not closed: expected ',' or '}' before "
                        + found() + " on line " + line);
            }
        }
    }

    private void endOfLine() {
        skipSpaces();
        if (at < text.length() && text.charAt(at) == '#') {
            while (at < text.length() && text.charAt(at) != '\n') {
                at++;
            }
        }
        if (at < text.length() && text.charAt(at) == '\r') {
            at++;
        }
        if (at < text.length()) {
            if (text.charAt(at) != '\n') {
                throw new SyntaxError(line, "expected the end of the line, found " + found());
            }
            at++;
            line++;
        }
    }

    private void skipSpaces() {
        while (at < text.length() && (text.charAt(at) == ' ' || text.charAt(at) == '\t')) {
            at++;
        }
    }

    private void skipBlanksAndComments() {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c == ' ' || c == '\t' || c == '\r') {
                at++;
            } else if (c == '\n') {
                at++;
                line++;
            } else if (c == '#') {
                while (at < text.length() && text.charAt(at) != '\n') {
                    at++;
                }
            } else {
                return;
            }
        }
    }

    private String found() {
        if (at >= text.length()) {
            return "the end of the file";
        }
        if (text.charAt(at) == '\n' || text.charAt(at) == '\r') {
            return "the end of the line";
        }
        int end = at;
        while (end < text.length() && end - at < 20 && text.charAt(end) != '\n') {
            end++;
        }
        return "'" + text.substring(at, end).strip() + "'";
    }

    /** How a value reads in an error message. */
    static String describe(Object value) {
        return switch (value) {
            case String s -> "\"" + s + "\"";
            case TableArray t -> "an array of tables";
            case List<?> l -> "an array";
            case Table t -> "a table";
            default -> String.valueOf(value);
        };
    }
}
