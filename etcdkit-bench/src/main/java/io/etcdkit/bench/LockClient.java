package io.etcdkit.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.support.CloseableClient;
import io.etcdkit.EtcdClient;
import io.etcdkit.recipes.lock.HeldLock;
import io.etcdkit.recipes.lock.Mutex;
import io.etcdkit.recipes.session.Session;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Locking with one client, for {@link LockBench}: an {@link Owner} is what holds a lock (an etcdkit
 * {@link Session}; for jetcd a lease it keeps alive), {@link Owner#lock} blocks until the lock is held.
 * <ul>
 *   <li>etcdkit: the recipes' {@link Mutex} ({@code Mutex.of(session, name).lock()}, unlock = close the
 *       {@link HeldLock}): client-side, each waiter watches only its predecessor;</li>
 *   <li>jetcd: its {@code Lock} client ({@code lock(name, leaseId)}, then {@code unlock(key)}): etcd's server-side
 *       lock service (v3lock), which queues the same way inside the server.</li>
 * </ul>
 * Both keep their keys under {@code name/} (etcd's concurrency layout).
 */
interface LockClient {
    /** Session TTL / lease TTL: long enough that no lock is lost while the bench runs. */
    Duration TTL = Duration.ofSeconds(30);

    /** What holds locks: one etcdkit session or one jetcd lease. */
    interface Owner extends AutoCloseable {
        /** Waits until this owner holds lock {@code name}; returns how to unlock. */
        Held lock(String name) throws Exception;

        @Override
        void close() throws Exception;
    }

    /** A held lock. */
    @FunctionalInterface
    interface Held {
        void unlock() throws Exception;
    }

    /** A new owner (a session or a kept-alive lease). */
    Owner newOwner() throws Exception;

    /** The client for {@code target}: etcdkit or jetcd. */
    static LockClient of(Target target) {
        if (target instanceof EtcdkitTarget e) {
            return () -> etcdkitOwner(e.client());
        }
        if (target instanceof JetcdTarget j) {
            return () -> jetcdOwner(j.client());
        }
        throw new UnsupportedOperationException(target.name() + " has no lock client here");
    }

    private static Owner etcdkitOwner(EtcdClient client) {
        Session session = Session.open(client, TTL);
        return new Owner() {
            @Override
            public Held lock(String name) throws InterruptedException {
                HeldLock held = Mutex.of(session, name).lock();
                return held::close;
            }

            @Override
            public void close() {
                session.close();
            }
        };
    }

    private static Owner jetcdOwner(Client client) throws Exception {
        long lease = client.getLeaseClient().grant(TTL.toSeconds()).get(30, TimeUnit.SECONDS).getID();
        CloseableClient keepAlive = client.getLeaseClient().keepAlive(lease, new StreamObserver<>() {
            @Override
            public void onNext(LeaseKeepAliveResponse value) {
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
        });
        return new Owner() {
            @Override
            public Held lock(String name) throws Exception {
                ByteSequence key = client.getLockClient().lock(ByteSequence.from(name, StandardCharsets.UTF_8), lease)
                        .get(120, TimeUnit.SECONDS).getKey();
                return () -> client.getLockClient().unlock(key).get(60, TimeUnit.SECONDS);
            }

            @Override
            public void close() throws Exception {
                keepAlive.close();
                client.getLeaseClient().revoke(lease).get(30, TimeUnit.SECONDS);
            }
        };
    }
}
