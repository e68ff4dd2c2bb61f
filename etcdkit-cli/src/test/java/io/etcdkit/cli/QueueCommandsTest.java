package io.etcdkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.recipes.workqueue.Claim;
import io.etcdkit.recipes.workqueue.WorkConsumer;
import io.etcdkit.recipes.workqueue.WorkQueue;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** queue add, ls, stats, dead-letters and requeue against a real member, in table and JSON form. */
class QueueCommandsTest {
    @RegisterExtension
    static final EtcdForCli ETCD = EtcdForCli.singleMember();

    @Test
    void addListFailRequeue() throws Exception {
        Cli.Result add = ETCD.run("queue", "add", "jobs", "hello", "-o", "json");
        assertThat(add.code()).as("%s", add).isZero();
        String id = add.json().get("id").asText();
        assertThat(add.json().get("duplicate").asBoolean()).isFalse();
        assertThat(ETCD.run("queue", "add", "jobs", "later", "--delay", "10m").out()).startsWith("added ");
        assertThat(ETCD.run("queue", "add", "jobs", "a", "--dedup-key", "k1").out()).startsWith("added ");
        assertThat(ETCD.run("queue", "add", "jobs", "b", "--dedup-key", "k1").out()).startsWith("duplicate: ");

        Cli.Result ls = ETCD.run("queue", "ls", "jobs");
        assertThat(ls.out()).startsWith("ID").contains(id).contains("pending").contains("delayed").contains("hello");
        JsonNode items = ETCD.run("queue", "ls", "jobs", "-o", "json").json();
        assertThat(items).hasSize(3);
        assertThat(items.get(0).get("id").asText()).isEqualTo(id);
        assertThat(items.get(1).get("state").asText()).isEqualTo("delayed");

        WorkQueue queue = WorkQueue.of(ETCD.client(), "jobs").maxAttempts(1);
        try (Session session = Session.open(ETCD.client(), Duration.ofSeconds(10));
                WorkConsumer consumer = queue.openConsumer(session)) {
            java.util.List<Claim> claims = consumer.claimBatch(2, Duration.ofSeconds(5));
            assertThat(claims).hasSize(2); // the delayed one stays invisible
            Claim claim = claims.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
            JsonNode stats = ETCD.run("queue", "stats", "jobs", "-o", "json").json();
            assertThat(stats.get("items").asLong()).isEqualTo(3);
            assertThat(stats.get("claimed").asLong()).isEqualTo(2);
            assertThat(ETCD.run("queue", "stats", "jobs").out()).startsWith("QUEUE").contains("jobs");
            assertThat(consumer.nack(claim, "smtp refused")).isTrue();
            claims.stream().filter(c -> !c.id().equals(id)).forEach(c -> assertThat(consumer.ack(c)).isTrue());
        } finally {
            queue.close();
        }
        Cli.Result dead = ETCD.run("queue", "dead-letters", "jobs");
        assertThat(dead.out()).contains(id).contains("smtp refused");
        JsonNode deadJson = ETCD.run("queue", "dead-letters", "jobs", "-o", "json").json();
        assertThat(deadJson.get(0).get("attempts").asInt()).isEqualTo(1);
        assertThat(deadJson.get(0).get("payload").asText()).isEqualTo("hello");

        assertThat(ETCD.run("queue", "requeue", "jobs", id).out()).isEqualTo("requeued " + id + "\n");
        assertThat(ETCD.run("queue", "stats", "jobs", "-o", "json").json().get("dead").asLong()).isZero();
        Cli.Result again = ETCD.run("queue", "requeue", "jobs", id);
        assertThat(again.code()).isEqualTo(3);
        assertThat(again.errLine()).contains("no dead letter " + id);
    }

    @Test
    void badInputIsAUsageError() {
        Cli.Result slash = ETCD.run("queue", "add", "a/b", "x");
        assertThat(slash.code()).isEqualTo(2);
        assertThat(slash.errLine()).contains("without '/'");
        Cli.Result noSub = ETCD.run("queue");
        assertThat(noSub.code()).isEqualTo(2);
        assertThat(noSub.errLine()).contains("add, ls, stats, dead-letters, requeue");
    }
}
