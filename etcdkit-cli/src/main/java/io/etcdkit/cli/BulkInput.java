package io.etcdkit.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.etcdkit.Bytes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.LongConsumer;

/**
 * The input of {@code bulk load}: UTF-8 text, one entry per line, in either form (they may be mixed):
 * <ul>
 *   <li>a JSON object {@code {"key": "config/a", "value": "1"}}; a value that is not a JSON string is stored as
 *       its JSON text ({@code "value": {"x": 1}} stores {@code {"x":1}});</li>
 *   <li>{@code KEY<TAB>VALUE}: the key up to the first tab, the value is the rest of the line.</li>
 * </ul>
 * Blank lines are skipped. Anything else is a usage error naming the line.
 */
final class BulkInput {
    static final String FORM = "a JSON object {\"key\": ..., \"value\": ...} or KEY<TAB>VALUE";
    private static final ObjectMapper JSON = new ObjectMapper();

    private BulkInput() {
    }

    /** Checks every line of {@code file}; returns the number of entries. */
    static long validate(Path file) throws IOException {
        long entries = 0;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            long number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (parse(line, ++number) != null) {
                    entries++;
                }
            }
        }
        return entries;
    }

    /** The entries of {@code reader}, read lazily; {@code consumed} hears the count of entries handed out. */
    static Iterator<Map.Entry<Bytes, Bytes>> entries(BufferedReader reader, LongConsumer consumed) {
        return new Iterator<>() {
            private Map.Entry<Bytes, Bytes> next;
            private long lineNumber;
            private long handedOut;

            @Override
            public boolean hasNext() {
                try {
                    while (next == null) {
                        String line = reader.readLine();
                        if (line == null) {
                            return false;
                        }
                        next = parse(line, ++lineNumber);
                    }
                    return true;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public Map.Entry<Bytes, Bytes> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Map.Entry<Bytes, Bytes> e = next;
                next = null;
                consumed.accept(++handedOut);
                return e;
            }
        };
    }

    /** One line as an entry, or null for a blank line. */
    static Map.Entry<Bytes, Bytes> parse(String line, long number) {
        if (line.isBlank()) {
            return null;
        }
        if (line.stripLeading().startsWith("{")) {
            return json(line, number);
        }
        int tab = line.indexOf('\t');
        if (tab < 0) {
            throw bad(number, "expected " + FORM + ", got '" + Output.shorten(line, 40) + "'");
        }
        return entry(line.substring(0, tab), line.substring(tab + 1), number);
    }

    private static Map.Entry<Bytes, Bytes> json(String line, long number) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw bad(number, "malformed JSON (" + e.getOriginalMessage() + "); expected " + FORM);
        }
        JsonNode key = node.get("key");
        JsonNode value = node.get("value");
        if (key == null || !key.isTextual()) {
            throw bad(number, "the JSON object has no \"key\" string; expected " + FORM);
        }
        if (value == null) {
            throw bad(number, "the JSON object has no \"value\"; expected " + FORM);
        }
        return entry(key.asText(), value.isTextual() ? value.asText() : value.toString(), number);
    }

    private static Map.Entry<Bytes, Bytes> entry(String key, String value, long number) {
        if (key.isEmpty()) {
            throw bad(number, "the key is empty");
        }
        return Map.entry(Bytes.of(key), Bytes.of(value));
    }

    private static CliException bad(long number, String problem) {
        return CliException.usage("line " + number + ": " + problem);
    }
}
