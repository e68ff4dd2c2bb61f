/**
 * JSON value codecs through Jackson 2 for etcdkit: {@link io.etcdkit.jackson.JacksonCodecs}.
 */
module io.etcdkit.jackson {
    requires transitive io.etcdkit;
    requires transitive com.fasterxml.jackson.databind;

    exports io.etcdkit.jackson;
}
