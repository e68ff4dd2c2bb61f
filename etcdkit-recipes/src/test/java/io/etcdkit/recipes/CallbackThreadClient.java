package io.etcdkit.recipes;

import io.etcdkit.EtcdClient;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A client of a test's etcd whose callback executor has exactly one thread, named by the test: a recipe step that
 * blocked that thread (waited for another callback of the same client) would never finish, and the bounded waits
 * of the test fail instead of hanging. The client's call deadline is 5 s.
 *
 * <p>Open it once per test class (in {@code @BeforeAll}, after the cluster extension has started) or per test in
 * try-with-resources; {@link #close()} closes the client, then stops the thread.
 */
public final class CallbackThreadClient implements AutoCloseable {
    private static final Duration DEADLINE = Duration.ofSeconds(5);
    private static final long FROM_CALLBACK_WAIT_SECONDS = 15;

    private final String threadName;
    private final ExecutorService executor;
    private final EtcdClient client;

    private CallbackThreadClient(EtcdClusterExtension etcd, String threadName) {
        this.threadName = threadName;
        this.executor = Executors.newSingleThreadExecutor(r -> new Thread(r, threadName));
        EtcdClient built;
        try {
            built = EtcdClient.builder().endpoints(etcd.clientEndpoints()).deadline(DEADLINE)
                    .callbackExecutor(executor).build();
        } catch (RuntimeException | Error e) {
            executor.shutdownNow();
            throw e;
        }
        this.client = built;
    }

    /**
     * Connects to {@code etcd}'s members with a one-thread callback executor.
     *
     * @param etcd the started cluster of the test
     * @param threadName the name of the callback thread (tests check where a future completed by it)
     * @return the open client and its thread
     */
    public static CallbackThreadClient open(EtcdClusterExtension etcd, String threadName) {
        return new CallbackThreadClient(etcd, threadName);
    }

    /** @return the client, whose callbacks all run on {@link #executor()} */
    public EtcdClient client() {
        return client;
    }

    /** @return the one-thread callback executor (for {@link HeldExecutor#hold}) */
    public ExecutorService executor() {
        return executor;
    }

    /** @return the name of the callback thread */
    public String threadName() {
        return threadName;
    }

    /**
     * Starts {@code call} inside a callback of the one thread (after a read of this client completes) and waits for
     * its result at most 15 s.
     *
     * @param call the async step under test
     * @param <R> its result
     * @return the step's result
     * @throws java.util.concurrent.CompletionException with the step's failure as cause, or a
     *     {@link java.util.concurrent.TimeoutException} as cause when it did not end within 15 s
     */
    public <R> R fromCallback(Supplier<CompletableFuture<R>> call) {
        return client.kv().getAsync("any").thenCompose(ignored -> call.get())
                .orTimeout(FROM_CALLBACK_WAIT_SECONDS, TimeUnit.SECONDS).join();
    }

    /** Closes the client, then stops the callback thread (work still queued on it is dropped). */
    @Override
    public void close() {
        try {
            client.close();
        } finally {
            executor.shutdownNow();
        }
    }
}
