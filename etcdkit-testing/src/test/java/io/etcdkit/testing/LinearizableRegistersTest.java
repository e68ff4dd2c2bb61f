package io.etcdkit.testing;

import static io.etcdkit.testing.GatewayHttp.b64;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import io.etcdkit.testing.check.LinearizabilityChecker;
import io.etcdkit.testing.check.LinearizabilityReport;
import io.etcdkit.testing.check.PendingOp;
import io.etcdkit.testing.check.RegisterHistory;
import io.etcdkit.testing.check.RegisterOp;

/**
 * Records a small concurrent history of reads, writes and compare-and-sets against one real member through its
 * JSON gateway and checks it with {@link LinearizabilityChecker}: etcd's KV is linearizable, so the verdict must be
 * LINEARIZABLE (the soak module does the same under faults).
 */
class LinearizableRegistersTest {

    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    private static final int CLIENTS = 4;
    private static final int OPERATIONS_EACH = 120;
    private static final String PREFIX = "lincheck/";

    private final HttpClient http = GatewayHttp.plain();

    @Test
    void aConcurrentHistoryAgainstOneMemberIsLinearizable() throws Exception {
        String endpoint = ETCD.cluster().clientEndpoints().get(0);
        RegisterHistory history = new RegisterHistory();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<?>> clients = new ArrayList<>();
            for (int p = 0; p < CLIENTS; p++) {
                int process = p;
                clients.add(pool.submit(() -> {
                    runClient(endpoint, history, process);
                    return null;
                }));
            }
            for (Future<?> client : clients) {
                client.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        List<RegisterOp> ops = history.operations();
        LinearizabilityReport report = LinearizabilityChecker.check(ops, Duration.ofSeconds(30));
        assertThat(report.verdict()).as(report.toString()).isEqualTo(LinearizabilityReport.Verdict.LINEARIZABLE);
        assertThat(report.operations()).isEqualTo(CLIENTS * OPERATIONS_EACH);
        assertThat(ops).as("compare-and-sets both applied and refused")
                .anyMatch(op -> op.kind() == RegisterOp.Kind.CAS && op.casApplied())
                .anyMatch(op -> op.kind() == RegisterOp.Kind.CAS && op.outcome() == RegisterOp.Outcome.OK
                        && !op.casApplied());
    }

    private void runClient(String endpoint, RegisterHistory history, int process) throws InterruptedException {
        Random random = new Random(process);
        String[] lastSeen = new String[3];
        for (int i = 0; i < OPERATIONS_EACH; i++) {
            int k = random.nextInt(lastSeen.length);
            String key = PREFIX + k;
            String value = "p" + process + "-" + i;
            int dice = random.nextInt(10);
            if (dice < 4) {
                PendingOp op = history.invokeRead(process, key);
                try {
                    JsonNode kvs = call(endpoint, "/v3/kv/range", "{\"key\":\"" + b64(key) + "\"}").path("kvs");
                    lastSeen[k] = kvs.isEmpty() ? null : GatewayHttp.unb64(kvs.get(0).path("value").asText());
                    op.readOk(lastSeen[k]);
                } catch (IOException e) {
                    op.unknown(e.toString());
                }
            } else if (dice < 7) {
                PendingOp op = history.invokeWrite(process, key, value);
                try {
                    call(endpoint, "/v3/kv/put", "{\"key\":\"" + b64(key) + "\",\"value\":\"" + b64(value) + "\"}");
                    op.writeOk();
                } catch (IOException e) {
                    op.unknown(e.toString());
                }
            } else {
                String expected = lastSeen[k];
                String compare = expected == null
                        ? "{\"target\":\"CREATE\",\"key\":\"" + b64(key) + "\",\"result\":\"EQUAL\",\"create_revision\":\"0\"}"
                        : "{\"target\":\"VALUE\",\"key\":\"" + b64(key) + "\",\"result\":\"EQUAL\",\"value\":\""
                                + b64(expected) + "\"}";
                String put = "{\"request_put\":{\"key\":\"" + b64(key) + "\",\"value\":\"" + b64(value) + "\"}}";
                PendingOp op = history.invokeCas(process, key, expected, value);
                try {
                    JsonNode answer = call(endpoint, "/v3/kv/txn",
                            "{\"compare\":[" + compare + "],\"success\":[" + put + "]}");
                    boolean applied = answer.path("succeeded").asBoolean(false);
                    op.casOk(applied);
                    if (applied) {
                        lastSeen[k] = value;
                    }
                } catch (IOException e) {
                    op.unknown(e.toString());
                }
            }
        }
    }

    /** One gateway call; any failure after sending is an unknown outcome for the caller. */
    private JsonNode call(String endpoint, String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> response = GatewayHttp.post(http, endpoint, path, json, null);
        if (response.statusCode() != 200) {
            throw new IOException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return GatewayHttp.json(response);
    }
}
