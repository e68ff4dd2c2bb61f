package io.etcdkit.internal.cluster;

import io.etcdkit.EtcdException;
import io.etcdkit.internal.Futures;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Replaces the generic exceptions of the transport by more specific ones for the administration services,
 * which recognise etcd's error texts (kept in the transport's messages).
 *
 * <p>Internal API.
 */
public final class Failures {
    private Failures() {}

    /**
     * {@code future}, but when it fails with an {@link EtcdException} for which {@code mapper} gives a non-null
     * replacement, failing with that instead.
     */
    public static <T> CompletableFuture<T> remap(CompletableFuture<T> future,
            Function<EtcdException, EtcdException> mapper) {
        CompletableFuture<T> out = new CompletableFuture<>();
        future.whenComplete((v, e) -> {
            if (e == null) {
                out.complete(v);
                return;
            }
            Throwable c = Futures.unwrap(e);
            if (c instanceof EtcdException ee) {
                EtcdException mapped;
                try {
                    mapped = mapper.apply(ee);
                } catch (RuntimeException bug) {
                    mapped = null;
                }
                out.completeExceptionally(mapped == null ? ee : mapped);
            } else {
                out.completeExceptionally(c);
            }
        });
        return out;
    }

    /** Whether the exception's message (which carries etcd's own error text) contains {@code text}. */
    public static boolean says(EtcdException e, String text) {
        String m = e.getMessage();
        return m != null && m.contains(text);
    }
}
