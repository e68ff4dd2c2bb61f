package io.etcdkit.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.etcdkit.testing.EtcdClusterExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every workload with tiny sizes on etcdkit and jetcd against a real etcd and checks what the run produced:
 * no operation failed, the report has a row per measurement and client plus the ratio row, and the CSV and PNG
 * files are there. Timings are not checked (performance is measured by running the bench, not here).
 */
class BenchSmokeTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    /** Every measurement the workloads report, by workload. */
    private static final List<List<String>> ROWS = List.of(
            List.of("put", "put"),
            List.of("range-linearizable", "range-linearizable"),
            List.of("range-serializable", "range-serializable"),
            List.of("txn-put", "txn-put"),
            List.of("watch", "watch-events", "watch-put-to-event", "watch-put"),
            List.of("watchers", "watchers"),
            List.of("lease-keepalive", "lease-keepalive"),
            List.of("lock", "lock-uncontended", "lock-handoff"),
            List.of("cache-read", "cache-read"),
            List.of("bulk-load", "bulk-load"),
            List.of("subscribe", "subscribe"),
            List.of("work-queue", "work-queue"));

    @Test
    void everyWorkloadRunsOnBothClientsAndWritesItsFiles(@TempDir Path out) throws Exception {
        BenchOptions options = BenchOptions.parse(new String[] {"all", "--compare", "jetcd", "--quick",
                "--endpoints", String.join(",", ETCD.clientEndpoints()), "--out", out.toString(),
                "--ops", "400", "--warmup-ops", "100", "--key-space", "100", "--watch-events", "300",
                "--watch-rate", "100", "--watch-seconds", "1", "--watchers", "100", "--lock-ops", "6",
                "--lock-waiters", "3", "--lock-settle-ms", "1", "--bulk-keys", "500", "--subscribe-keys", "500",
                "--work-items", "200"});
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int status = BenchMain.run(options, new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));
        String report = stdout.toString(StandardCharsets.UTF_8);
        System.out.println(report); // kept in the surefire report for a look at the numbers

        assertThat(status).as("exit status (1 = some operation failed); report:%n%s", report).isZero();
        String table = report.substring(report.indexOf("\nResults"));
        List<String> files = new ArrayList<>(List.of("report.txt", "results.csv"));
        for (List<String> workload : ROWS) {
            for (String row : workload.subList(1, workload.size())) {
                for (String client : List.of("etcdkit", "jetcd", "etcdkit/jetcd")) {
                    assertThat(Pattern.compile("(?m)^" + Pattern.quote(row) + " +" + Pattern.quote(client) + " ")
                            .matcher(table).find()).as("report row %s / %s in%n%s", row, client, table).isTrue();
                }
            }
            files.add(workload.get(0) + ".csv");
            files.add(workload.get(0) + ".png");
        }
        for (String f : files) {
            assertThat(out.resolve(f)).as(f).isNotEmptyFile();
        }
        for (List<String> workload : ROWS) {
            byte[] png = Files.readAllBytes(out.resolve(workload.get(0) + ".png"));
            assertThat(Arrays.copyOf(png, 8)).as("PNG signature of %s.png", workload.get(0))
                    .containsExactly(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
            List<String> csv = Files.readAllLines(out.resolve(workload.get(0) + ".csv"));
            for (String row : workload.subList(1, workload.size())) {
                for (String client : List.of("etcdkit", "jetcd")) {
                    assertThat(csv).as("%s.csv", workload.get(0))
                            .anyMatch(l -> l.startsWith(workload.get(0) + "," + row + "," + client + ","));
                }
            }
        }
        assertThat(Files.readString(out.resolve("report.txt"))).contains(table.trim().lines().findFirst().orElseThrow());
    }

    @Test
    void putWithMetricsRunsBothEtcdkitsAndPrintsTheirRatio(@TempDir Path out) throws Exception {
        BenchOptions options = BenchOptions.parse(new String[] {"put", "--metrics", "--quick",
                "--endpoints", String.join(",", ETCD.clientEndpoints()), "--out", out.toString(),
                "--ops", "400", "--warmup-ops", "100", "--key-space", "100"});
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        int status = BenchMain.run(options, new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        String report = stdout.toString(StandardCharsets.UTF_8);
        assertThat(status).as("exit status; report:%n%s", report).isZero();
        String table = report.substring(report.indexOf("\nResults"));
        for (String client : List.of("etcdkit", "etcdkit+metrics", "metrics/etcdkit")) {
            assertThat(Pattern.compile("(?m)^put +" + Pattern.quote(client) + " ").matcher(table).find())
                    .as("row put / %s in:%n%s", client, table).isTrue();
        }
        assertThat(Files.readString(out.resolve("results.csv"))).contains(",put,metrics/etcdkit,");
    }

    @Test
    void goClientRunsTheOperationWorkloadsAsAThirdRowWithItsRatios(@TempDir Path out) throws Exception {
        GoProgram.Located go = GoProgram.locate();
        assumeTrue(go.binary() != null, "Go client not available: " + go.whyNot());
        BenchOptions options = BenchOptions.parse(new String[] {"put,range,txn-put,lease-keepalive", "--compare",
                "go", "--quick", "--endpoints", String.join(",", ETCD.clientEndpoints()), "--out", out.toString(),
                "--ops", "400", "--warmup-ops", "100", "--key-space", "100"});
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        int status = BenchMain.run(options, new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        String report = stdout.toString(StandardCharsets.UTF_8);
        System.out.println(report);
        assertThat(status).as("exit status; report:%n%s", report).isZero();
        String table = report.substring(report.indexOf("\nResults"));
        for (String row : List.of("put", "range-linearizable", "range-serializable", "txn-put")) {
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(row) + " +go +\\S+ +([0-9,]+) .* ([0-9.,]+) +n/a ")
                    .matcher(table);
            assertThat(m.find()).as("row %s / go in:%n%s", row, table).isTrue();
            assertThat(Pattern.compile("(?m)^" + Pattern.quote(row) + " +etcdkit/go ").matcher(table).find())
                    .as("ratio row %s / etcdkit/go in:%n%s", row, table).isTrue();
        }
        assertThat(report).contains("lease-keepalive / go").contains("skipped: the Go client target runs put");
        assertThat(Files.readString(out.resolve("results.csv"))).contains(",put,go,put,all,400,0,")
                .contains(",put,etcdkit/go,");
    }
}
