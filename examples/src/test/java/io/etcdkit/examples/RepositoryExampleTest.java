package io.etcdkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.EtcdClient;
import io.etcdkit.testing.EtcdClusterExtension;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RepositoryExampleTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    /** Matches {@code line} against {@code regex} (whole line) and returns the match, to read its groups. */
    private static Matcher match(String line, String regex) {
        Matcher m = Pattern.compile(regex).matcher(line);
        assertThat(m.matches()).as("%s%nshould match%n%s", line, regex).isTrue();
        return m;
    }

    @Test
    void conflictsAreRefusedWithTheCurrentVersionAndEverythingElseBehavesAsTheGuideSays() throws Exception {
        List<String> lines = ExampleRun.linesOf(RepositoryExample::run, ETCD);
        assertThat(lines).hasSize(27);

        long created = Long.parseLong(match(lines.get(0),
                "created checkout at version (\\d+) with labels \\{team=payments, tier=web}").group(1));
        assertThat(lines.get(1)).isEqualTo("stored at examples/repository/deployments/checkout: "
                + "{\"name\":\"checkout\",\"team\":\"payments\",\"tier\":\"web\",\"replicas\":2}");
        long alices = Long.parseLong(match(lines.get(2), "alice scaled checkout to 4 at version (\\d+)").group(1));
        assertThat(alices).isGreaterThan(created);
        // bob's refusal names the version he read and the one alice wrote
        assertThat(lines.get(3)).isEqualTo("bob's update refused: expected version " + created
                + ", current version " + alices);
        assertThat(lines.subList(4, 11)).containsExactly(
                "bob re-read and retried: Deployment[name=checkout, team=payments, tier=web, replicas=5]",
                "ledger after update by function: 6 replicas",
                "team=payments,tier in (web,api): [checkout, ledger]",
                "invalid label selector \"team=payments,tier in web\": at position 22: expected '(' after 'in', "
                        + "found 'web'. The syntax is a comma-separated list of: key=value, key==value, "
                        + "key!=value, key in (v1,v2), key notin (v1,v2), key, !key",
                "page 1: [checkout, ledger]",
                "page 2: [reports, search] (same revision: true)",
                "a new listing: [checkout, ledger, reports, search, web-frontend]");
        assertThat(lines.subList(11, 21)).containsExactly(
                "preview-42 has a TTL: true, time left at most PT5S: true",
                "refreshed, it lives another PT5S",
                "the update kept its lease: true",
                "watch: created preview-42 with 1 replica(s)",
                "watch: updated preview-42 to 2 replica(s)",
                "watch: deleted preview-42 (last seen with 2 replica(s))",
                "preview-42 exists: false",
                "history of checkout: replicas 5, 4, 2 (CREATED)",
                "its last 2 versions: replicas 5, 4 (LIMIT)",
                "batch refused, nothing written; conflicts:");
        match(lines.get(21), "  'search' \\(expected absent, found version \\d+\\)");
        Matcher ledger = match(lines.get(22), "  'ledger' \\(expected version (\\d+), found version (\\d+)\\)");
        assertThat(Long.parseLong(ledger.group(2))).isGreaterThan(Long.parseLong(ledger.group(1)));
        assertThat(lines.subList(23, 27)).containsExactly(
                "reports still exists: true",
                "batch applied at one revision: true",
                "sandbox-3 refused: the repository under 'examples/repository/sandboxes/' allows at most 2 resources "
                        + "and 2 exist; creating 1 more would exceed the quota. Nothing was written; delete resources "
                        + "or raise the quota (all clients must use the same quota)",
                "after deleting sandbox-1: [sandbox-2, sandbox-3], places taken: 2");

        assertThat(ExampleRun.keysUnder(ETCD, RepositoryExample.PREFIX)).as("keys left").isZero();
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build()) {
            assertThat(client.leases().list()).as("leases left").isEmpty();
        }
    }
}
