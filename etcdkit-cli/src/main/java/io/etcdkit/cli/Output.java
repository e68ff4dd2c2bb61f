package io.etcdkit.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prints a command's results on stdout: as text and tables for people ({@code -o table}, the default), or as JSON
 * for programs ({@code -o json}): one pretty-printed document for a result, one compact document per line for
 * streams of events ({@code watch}, {@code elect --observe}, ...). Fields without a value are left out of JSON.
 */
final class Output {
    private static final ObjectMapper JSON = JsonMapper.builder().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private final PrintWriter out;
    private final boolean json;

    Output(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    /** Whether JSON was asked for. */
    boolean json() {
        return json;
    }

    /** The underlying writer. */
    PrintWriter writer() {
        return out;
    }

    /** One line of text. */
    void line(String text) {
        out.println(text);
        out.flush();
    }

    /** One result as a pretty-printed JSON document. */
    void document(Object value) {
        out.println(write(value, true));
        out.flush();
    }

    /** One event as a JSON document on one line. */
    void event(Object value) {
        out.println(write(value, false));
        out.flush();
    }

    /**
     * An ordered JSON object of {@code name, value} pairs, for events whose fields vary by kind; null values are
     * left out.
     */
    static Map<String, Object> fields(Object... namesAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                map.put((String) namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        return map;
    }

    /** A table printed at once. */
    void table(Table table) {
        table.print(out);
        out.flush();
    }

    private static String write(Object value, boolean pretty) {
        try {
            return pretty ? JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value)
                    : JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot print " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /**
     * {@code text} with control characters escaped ({@code \n}, {@code \t}, {@code \x07}), so a value always stays
     * on its line of a table or event stream.
     */
    static String escape(String text) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = switch (c) {
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                case '\\' -> "\\\\";
                default -> Character.isISOControl(c) ? String.format("\\x%02x", (int) c) : null;
            };
            if (replacement != null && sb == null) {
                sb = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (sb != null) {
                sb.append(replacement != null ? replacement : String.valueOf(c));
            }
        }
        return sb == null ? text : sb.toString();
    }

    /** {@code text} escaped and cut to {@code max} characters (ending in {@code ...} when cut). */
    static String shorten(String text, int max) {
        String escaped = escape(text);
        return escaped.length() <= max ? escaped : escaped.substring(0, Math.max(0, max - 3)) + "...";
    }
}
