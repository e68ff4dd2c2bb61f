package io.etcdkit.jackson;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.etcdkit.Bytes;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.codec.ValueCodec;
import io.etcdkit.codec.ValueDecodingException;
import java.io.IOException;
import java.util.Objects;

/**
 * JSON through Jackson. The reader and writer are taken from the mapper when the codec is made; both are
 * immutable, so later changes to the mapper do not affect the codec. Trailing content after the JSON document
 * is always rejected, whatever the mapper says, so a value is never decoded from a prefix of the bytes.
 */
final class JsonCodec<T> implements ValueCodec<T> {
    private final String name;
    private final String typeName;
    private final ObjectReader reader;
    private final ObjectWriter writer;

    JsonCodec(ObjectMapper mapper, JavaType type) {
        Objects.requireNonNull(mapper, "mapper");
        Objects.requireNonNull(type, "type");
        this.typeName = type.toCanonical();
        this.name = "json(" + typeName + ")";
        this.reader = mapper.readerFor(type).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.writer = mapper.writerFor(type);
    }

    @Override
    public Bytes encode(T value) {
        Objects.requireNonNull(value, "value");
        try {
            return Bytes.of(writer.writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new InvalidArgumentException("codec '" + name + "' cannot encode the value: "
                    + e.getOriginalMessage() + "; make " + typeName + " serializable by Jackson (getters, "
                    + "record components or annotations) or pass an ObjectMapper configured for it", e);
        }
    }

    @Override
    public T decode(Bytes bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.isEmpty()) {
            throw fail("the value is empty; expected a JSON document for " + typeName, null);
        }
        T value;
        try {
            value = reader.readValue(bytes.toByteArray());
        } catch (JsonMappingException e) {
            throw fail("the JSON does not match " + typeName + at(e) + ": " + e.getOriginalMessage()
                    + ". Fix the stored value or the writer, or adjust the type", e);
        } catch (JsonProcessingException e) {
            throw fail("malformed JSON" + at(e) + ": " + e.getOriginalMessage()
                    + ". Fix the stored value or the writer", e);
        } catch (IOException e) {
            throw fail("the JSON could not be read: " + e.getMessage(), e);
        }
        if (value == null) {
            throw fail("the value is the JSON literal null; expected " + typeName
                    + " (delete the key instead of storing null)", null);
        }
        return value;
    }

    private static String at(JsonProcessingException e) {
        StringBuilder sb = new StringBuilder();
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            sb.append(" at ").append(path(m));
        }
        JsonLocation location = e.getLocation();
        if (location != null && location.getLineNr() > 0) {
            sb.append(" (line ").append(location.getLineNr()).append(", column ")
                    .append(location.getColumnNr()).append(')');
        }
        return sb.toString();
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder("$");
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                sb.append('.').append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private ValueDecodingException fail(String problem, Throwable cause) {
        return new ValueDecodingException(name, "codec '" + name + "' cannot decode the value: " + problem, cause);
    }

    @Override
    public String toString() {
        return name;
    }
}
