package io.etcdkit.recipes.repository;

import io.etcdkit.EtcdClient;
import io.etcdkit.EtcdException;
import io.etcdkit.kv.Kv;
import io.etcdkit.recipes.internal.Backoff;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the parts of one repository share: the client, key layout, codec, quota and retry policy. Immutable.
 *
 * @param client the client (possibly a namespaced view)
 * @param keys the key layout
 * @param codec values to bytes and back
 * @param quota the quota slots, or null when the repository has no quota
 * @param attempts how many times a self-retrying write tries before giving up
 * @param backoff the pause between attempts
 */
record Context<T>(EtcdClient client, ResourceKeys keys, ResourceCodec<T> codec, QuotaSlots quota, int attempts,
        Backoff backoff) {
    private static final Logger LOG = LoggerFactory.getLogger(Repository.class);

    Kv kv() {
        return client.kv();
    }

    Optional<QuotaSlots> slots() {
        return Optional.ofNullable(quota);
    }

    /** Waits the back-off before retry {@code retry} (1-based); an interrupt ends the wait as an error. */
    void pause(int retry) {
        try {
            TimeUnit.NANOSECONDS.sleep(backoff.delayNanos(retry));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EtcdException("interrupted while waiting to retry a write to the repository under '"
                    + keys.root() + "'; nothing more was written", e);
        }
    }

    /**
     * Runs {@code next} after the back-off before retry {@code retry} (1-based), on a delayed executor: no thread
     * waits.
     */
    <R> CompletableFuture<R> later(int retry, Supplier<CompletableFuture<R>> next) {
        return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(
                backoff.delayNanos(retry), TimeUnit.NANOSECONDS)).thenCompose(ignored -> next.get());
    }

    /**
     * Revokes a lease in the background (a resource's lease after its create failed or after it was deleted);
     * a failure only means the lease lives out its TTL with no keys on it.
     */
    void revokeQuietly(long leaseId) {
        if (leaseId == 0) {
            return;
        }
        client.leases().revokeAsync(leaseId).exceptionally(e -> {
            LOG.debug("could not revoke lease {} of the repository under '{}'; it expires within its TTL: {}",
                    leaseId, keys.root(), e.toString());
            return null;
        });
    }
}
