package io.etcdkit.recipes.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.etcdkit.Bytes;
import io.etcdkit.codec.ValueCodec;
import io.etcdkit.codec.ValueDecodingException;
import io.etcdkit.jackson.JacksonCodecs;
import java.io.IOException;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The registry's wire format: one JSON object per instance,
 * {@code {"id":"..","address":"..","metadata":{"k":"v"},"payload":"<base64>"}}. {@code payload} (the payload
 * codec's bytes in standard base64) is written only when the instance has one, so entries without payload are
 * byte for byte what earlier versions wrote; readers ignore fields they do not know (earlier versions ignore
 * {@code payload}), and a missing or null {@code metadata} reads as empty.
 */
final class InstanceJson implements ValueCodec<ServiceInstance> {
    static final InstanceJson CODEC = new InstanceJson();
    private static final ObjectMapper MAPPER = JacksonCodecs.defaultObjectMapper();
    private static final String NAME = "registry-instance-json";

    private InstanceJson() {
    }

    @Override
    public Bytes encode(ServiceInstance instance) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("id", instance.id());
        json.put("address", instance.address());
        ObjectNode metadata = json.putObject("metadata");
        instance.metadata().forEach(metadata::put);
        if (instance.hasPayload()) {
            json.put("payload", Base64.getEncoder().encodeToString(instance.payload().toByteArray()));
        }
        try {
            return Bytes.of(MAPPER.writeValueAsBytes(json));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a service instance as JSON", e);
        }
    }

    @Override
    public ServiceInstance decode(Bytes bytes) {
        JsonNode json;
        try {
            json = MAPPER.readTree(bytes.toByteArray());
        } catch (IOException e) {
            throw new ValueDecodingException(NAME, "not a service instance: malformed JSON (" + e.getMessage() + ")", e);
        }
        if (json == null || !json.isObject()) {
            throw new ValueDecodingException(NAME, "not a service instance: expected a JSON object");
        }
        try {
            return new ServiceInstance(text(json, "id"), text(json, "address"), metadata(json.get("metadata")),
                    payload(json.get("payload")));
        } catch (RuntimeException e) {
            throw new ValueDecodingException(NAME, "not a service instance: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("'" + field + "' must be a string");
        }
        return value.asText();
    }

    private static Map<String, String> metadata(JsonNode json) {
        if (json == null || json.isNull()) {
            return Map.of();
        }
        if (!json.isObject()) {
            throw new IllegalArgumentException("'metadata' must be an object of strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw new IllegalArgumentException("metadata '" + e.getKey() + "' must be a string");
            }
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    private static Bytes payload(JsonNode json) {
        if (json == null || json.isNull()) {
            return null;
        }
        if (!json.isTextual()) {
            throw new IllegalArgumentException("'payload' must be a base64 string");
        }
        return Bytes.of(Base64.getDecoder().decode(json.asText()));
    }

    @Override
    public String toString() {
        return NAME;
    }
}
