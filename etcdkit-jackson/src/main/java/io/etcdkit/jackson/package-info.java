/**
 * JSON value codecs through Jackson 2: {@link io.etcdkit.jackson.JacksonCodecs}.
 *
 * <p>Artifact {@code io.etcdkit:etcdkit-jackson}, module {@code io.etcdkit.jackson}. The client
 * ({@code io.etcdkit:etcdkit}) has no Jackson dependency; add this artifact to store JSON values. Jackson 3
 * (package {@code tools.jackson}) will get its own artifact and package (say {@code etcdkit-jackson3},
 * {@code io.etcdkit.jackson3}) next to this one, so moving to it is a dependency change, not a breaking one.
 */
package io.etcdkit.jackson;
