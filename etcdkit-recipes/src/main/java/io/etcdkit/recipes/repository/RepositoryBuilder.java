package io.etcdkit.recipes.repository;

import io.etcdkit.EtcdClient;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.codec.KeyBoundCodec;
import io.etcdkit.codec.ValueCodec;
import io.etcdkit.jackson.JacksonCodecs;
import io.etcdkit.recipes.internal.Backoff;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Configures a {@link Repository}; from {@link Repository#builder(EtcdClient, String, Class)}. Defaults: JSON with
 * {@link JacksonCodecs#json(Class)} (Jackson's {@linkplain JacksonCodecs#defaultObjectMapper() default mapper}), no
 * labels, no quota, 50 attempts for self-retrying writes with a back-off
 * from 2 ms doubling to 250 ms. Not thread-safe; {@link #build()} may be called more than once.
 *
 * @param <T> the value type
 */
public final class RepositoryBuilder<T> {
    private final EtcdClient client;
    private final String prefix;
    private final Class<T> type;
    private KeyBoundCodec<T> codec;
    private Function<? super T, Map<String, String>> labels = value -> Map.of();
    private int quota;
    private int attempts = 50;
    private Backoff backoff = Backoff.conflicts(Duration.ofMillis(2), Duration.ofMillis(250));

    RepositoryBuilder(EtcdClient client, String prefix, Class<T> type) {
        this.client = Objects.requireNonNull(client, "client");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.type = Objects.requireNonNull(type, "type");
    }

    /**
     * Stores values with {@code codec} instead of the default JSON: JSON with a mapper of one's own,
     * {@code JacksonCodecs.json(Order.class, mapper)} (configure the mapper before), JSON for a generic type,
     * {@code JacksonCodecs.json(new TypeReference<..>() {})}, or any other format. The codec must follow the
     * {@link ValueCodec} contract.
     *
     * @param codec the codec of the stored values
     * @return this builder
     * @throws NullPointerException if {@code codec} is null
     */
    public RepositoryBuilder<T> codec(ValueCodec<T> codec) {
        this.codec = KeyBoundCodec.ignoringKey(Objects.requireNonNull(codec, "codec"));
        return this;
    }

    /**
     * Stores values with a key-bound codec, typically client-side encryption around JSON:
     * <pre>{@code
     * Repository<Order> orders = Repository.builder(client, "orders", Order.class)
     *         .codec(Codecs.encrypted(keyRing, JacksonCodecs.json(Order.class)))
     *         .build();
     * }</pre>
     * The codec is given each resource's key as the client's {@code kv()} sees it ({@code <prefix>/<id>}, relative
     * to a namespaced client's namespace). A stored value that does not decrypt (a wrong or missing key, tampered
     * bytes, or a ciphertext copied from another resource) is reported like any unreadable value: reads throw a
     * {@link io.etcdkit.codec.ValueDecodingException} naming the resource, whose cause is the
     * {@link io.etcdkit.codec.DecryptionException}, and watches deliver {@link ResourceEvent.Unreadable}. Stored
     * values are then ciphertext, not JSON that {@code etcdctl get} shows.
     *
     * @param codec the codec of the values
     * @return this builder
     */
    public RepositoryBuilder<T> codec(KeyBoundCodec<T> codec) {
        this.codec = Objects.requireNonNull(codec, "codec");
        return this;
    }

    /**
     * Where a resource's labels come from: {@code extractor} is applied to the value on every write (the labels
     * are checked against the Kubernetes label syntax, and a bad label refuses the write) and every read (to
     * fill {@link Versioned#labels()} and to evaluate selectors). Labels thus live inside the value, like a
     * Kubernetes object's {@code metadata.labels}, and can never disagree with it. The extractor must be quick,
     * side-effect free, thread-safe, and never return null. Default: no labels.
     *
     * @param extractor the extractor
     * @return this builder
     */
    public RepositoryBuilder<T> labels(Function<? super T, Map<String, String>> extractor) {
        this.labels = Objects.requireNonNull(extractor, "extractor");
        return this;
    }

    /**
     * Allows at most {@code maxResources} resources under the prefix, enforced atomically with every create
     * against concurrent creates from any number of clients (see {@link Repository} for how). Every client of
     * the repository must use the same quota, and it must be set before the first resource is created:
     * resources created without it hold no place and are not counted. A create beyond the quota fails with
     * {@link QuotaExceededException}.
     *
     * @param maxResources the max resources
     * @return this builder
     */
    public RepositoryBuilder<T> quota(int maxResources) {
        if (maxResources < 1) {
            throw new InvalidArgumentException("a quota must allow at least 1 resource, got " + maxResources);
        }
        this.quota = maxResources;
        return this;
    }

    /**
     * How many times a write that retries by itself ({@link Repository#update(String,
     * java.util.function.UnaryOperator)}, {@link Repository#delete(String)}, a create racing for quota places)
     * tries before it gives up with {@link WriteContentionException}. Default 50.
     *
     * @param attempts the number of attempts
     * @return this builder
     */
    public RepositoryBuilder<T> retries(int attempts) {
        if (attempts < 1) {
            throw new InvalidArgumentException("retries must allow at least 1 attempt, got " + attempts);
        }
        this.attempts = attempts;
        return this;
    }

    /**
     * The pause between attempts: full jitter, from {@code initial} doubling up to {@code max}.
     *
     * @param initial the first value
     * @param max the maximum
     * @return this builder
     */
    public RepositoryBuilder<T> backoff(Duration initial, Duration max) {
        this.backoff = Backoff.conflicts(initial, max);
        return this;
    }

    /**
     * The repository. Nothing is read or written until it is used.
     *
     * @return the repository
     * @throws InvalidArgumentException when the prefix is empty
     */
    public Repository<T> build() {
        ResourceKeys keys = new ResourceKeys(prefix);
        KeyBoundCodec<T> values = codec != null ? codec : KeyBoundCodec.ignoringKey(JacksonCodecs.json(type));
        ResourceCodec<T> resources = new ResourceCodec<>(values, labels, keys);
        QuotaSlots slots = quota > 0 ? new QuotaSlots(keys, quota) : null;
        return new Repository<>(new Context<>(client, keys, resources, slots, attempts, backoff));
    }
}
