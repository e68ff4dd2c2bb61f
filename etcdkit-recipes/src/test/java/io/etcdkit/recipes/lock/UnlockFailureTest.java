package io.etcdkit.recipes.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.EtcdClient;
import io.etcdkit.EtcdException;
import io.etcdkit.kv.Range;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.testing.EtcdClusterExtension;
import io.etcdkit.testing.EtcdMember;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An unlock that cannot reach etcd throws, and the release goes on in the background: the key is deleted once
 * etcd answers again (so other processes get the lock without waiting for this session to end), and the thread
 * that held the lock may lock it again — its next acquisition waits for the delete instead of being refused as a
 * re-entry. Found by the nemesis soak (seed 6): a worker whose unlock failed under a fault could never lock again.
 */
@Timeout(120)
class UnlockFailureTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    static EtcdClient client(Duration deadline) {
        return EtcdClient.builder().endpoints(ETCD.clientEndpoints()).deadline(deadline).build();
    }

    @Test
    void aFailedUnlockIsFinishedInTheBackgroundAndTheSessionCanLockAgain() throws Exception {
        EtcdMember member = ETCD.cluster().members().get(0);
        try (EtcdClient a = client(Duration.ofMillis(500));
             EtcdClient b = client(Duration.ofSeconds(5));
             Session sa = Session.open(a, Duration.ofSeconds(30));
             Session sb = Session.open(b, Duration.ofSeconds(30))) {
            HeldLock held = Mutex.of(sa, "unlock-failure/lock").lock(Duration.ofSeconds(10));
            member.pause();
            try {
                assertThatThrownBy(held::close).isInstanceOf(EtcdException.class);
            } finally {
                member.resume();
            }
            try (HeldLock other = Mutex.of(sb, "unlock-failure/lock").lock(Duration.ofSeconds(20))) {
                assertThat(other.fencingToken()).isGreaterThan(held.fencingToken());
            }
            try (HeldLock again = Mutex.of(sa, "unlock-failure/lock").lock(Duration.ofSeconds(20))) {
                assertThat(again.fencingToken()).isGreaterThan(held.fencingToken());
            }
            assertThat(b.kv().count(Range.prefix("unlock-failure/lock/"))).isZero();
        }
    }
}
