package io.etcdkit.spring.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.springframework.boot.env.PropertiesPropertySourceLoader;
import org.springframework.boot.env.PropertySourceLoader;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;

/**
 * The keys of one configuration context (all keys under e.g. {@code config/myapp/}) and the properties they make.
 *
 * <p>A key {@code <context>a/b/c} is the property {@code a.b.c} with the key's value. The key {@code data} right
 * under the context (YAML) or ending in {@code .yaml}, {@code .yml} or {@code .properties} is a document whose properties are all
 * added; single keys win over documents, and among documents the later key (in key order) wins. A document that
 * does not parse keeps the properties of its last good version (none if it never parsed) and is reported.
 *
 * <p>Not thread-safe: one watcher's events reach it one at a time.
 */
final class ConfigContext {
    private static final PropertySourceLoader YAML = new YamlPropertySourceLoader();
    private static final PropertySourceLoader PROPERTIES = new PropertiesPropertySourceLoader();

    private final String path;
    private final TreeMap<String, String> keys = new TreeMap<>();
    private final Map<String, Map<String, Object>> lastGoodDocuments = new HashMap<>();
    private final Map<String, String> parsedDocumentText = new HashMap<>();

    /** @param path the context's key prefix, ending in "/" */
    ConfigContext(String path) {
        this.path = path;
    }

    String path() {
        return path;
    }

    /** Sets a key (relative to the context). */
    void put(String relativeKey, String value) {
        keys.put(relativeKey, value);
    }

    /** Removes a key (relative to the context). */
    void delete(String relativeKey) {
        keys.remove(relativeKey);
        lastGoodDocuments.remove(relativeKey);
        parsedDocumentText.remove(relativeKey);
    }

    /** Forgets every key (before a snapshot), keeping the last good documents. */
    void clearKeys() {
        keys.clear();
    }

    /**
     * The properties the keys make now.
     *
     * @param rejected told of each document that does not parse (its full key, the reason)
     * @return the properties
     */
    Map<String, Object> properties(BiConsumer<String, String> rejected) {
        Map<String, Object> fromDocuments = new HashMap<>();
        Map<String, Object> fromKeys = new HashMap<>();
        for (Map.Entry<String, String> entry : keys.entrySet()) {
            String key = entry.getKey();
            if (key.isEmpty() || key.endsWith("/")) {
                continue;
            }
            PropertySourceLoader loader = documentLoader(key);
            if (loader == null) {
                fromKeys.put(key.replace('/', '.'), entry.getValue());
                continue;
            }
            fromDocuments.putAll(document(key, entry.getValue(), loader, rejected));
        }
        fromDocuments.putAll(fromKeys);
        return fromDocuments;
    }

    private Map<String, Object> document(String key, String text, PropertySourceLoader loader,
            BiConsumer<String, String> rejected) {
        if (text.equals(parsedDocumentText.get(key))) {
            return lastGoodDocuments.getOrDefault(key, Map.of());
        }
        try {
            Map<String, Object> parsed = parse(key, text, loader);
            lastGoodDocuments.put(key, parsed);
            parsedDocumentText.put(key, text);
            return parsed;
        } catch (IOException | RuntimeException e) {
            parsedDocumentText.put(key, text);
            rejected.accept(path + key, String.valueOf(e.getMessage()).replace('\n', ' '));
            return lastGoodDocuments.getOrDefault(key, Map.of());
        }
    }

    private Map<String, Object> parse(String key, String text, PropertySourceLoader loader) throws IOException {
        ByteArrayResource resource = new ByteArrayResource(text.getBytes(StandardCharsets.UTF_8), path + key);
        List<PropertySource<?>> sources = loader.load(path + key, resource);
        Map<String, Object> properties = new HashMap<>();
        // Multi-document YAML: later documents win, as in Boot's own files.
        for (PropertySource<?> source : sources) {
            if (source instanceof EnumerablePropertySource<?> enumerable) {
                for (String name : enumerable.getPropertyNames()) {
                    Object value = enumerable.getProperty(name);
                    properties.put(name, value == null ? "" : value.toString());
                }
            }
        }
        return properties;
    }

    private static PropertySourceLoader documentLoader(String key) {
        if (key.equals("data") || key.endsWith(".yaml") || key.endsWith(".yml")) {
            return YAML;
        }
        return key.endsWith(".properties") ? PROPERTIES : null;
    }
}
