package io.etcdkit.cli;

import io.etcdkit.EtcdClient;
import io.etcdkit.cluster.Member;
import io.etcdkit.cluster.MemberStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;

/** {@code etcdkit status}: every member of the cluster and what it reports. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Print the cluster's members and their state.",
            "Prints every member of the cluster (found through --endpoints) with its id, name, client "
                + "endpoint, whether it leads, database size, raft index and etcd version.",
            "Members that do not answer are listed with the error; the exit code is then 5."})
final class StatusCommand extends ClientCommand {

    /** One member as printed with -o json; {@code error} is set (and the rest empty) when it did not answer. */
    record Row(String id, String name, String endpoint, Boolean leader, Long dbSize, Long dbSizeInUse, Long raftTerm,
            Long raftIndex, Long raftAppliedIndex, String version, boolean learner, List<String> errors,
            String error) {
    }

    @Override
    int run(EtcdClient client, Output out) {
        List<Member> members = client.cluster().members().stream()
                .sorted(Comparator.comparing(Member::name).thenComparing(Member::idHex)).toList();
        List<String> urls = members.stream().filter(m -> !m.clientUrls().isEmpty()).map(m -> m.clientUrls().get(0))
                .toList();
        List<Row> rows = new ArrayList<>();
        try (EtcdClient all = urls.isEmpty() ? null : options().connect(urls)) {
            List<CompletableFuture<Row>> pending = new ArrayList<>();
            for (Member m : members) {
                pending.add(m.clientUrls().isEmpty()
                        ? CompletableFuture.completedFuture(failed(m, "", "not started yet"))
                        : all.maintenance().statusAsync(m.clientUrls().get(0))
                                .handle((s, e) -> e == null ? row(m, s) : failed(m, m.clientUrls().get(0),
                                        ErrorReporter.oneLine(e instanceof CompletionException && e.getCause() != null
                                                ? e.getCause() : e))));
            }
            pending.forEach(p -> rows.add(p.join()));
        }
        long unanswered = rows.stream().filter(r -> r.error() != null).count();
        if (out.json()) {
            out.document(rows);
        } else {
            print(out, rows, unanswered > 0);
        }
        if (unanswered > 0) {
            throw new CliException(ExitCode.UNAVAILABLE, unanswered + " of " + rows.size()
                    + " members did not answer");
        }
        return ExitCode.OK;
    }

    private static Row row(Member m, MemberStatus s) {
        return new Row(m.idHex(), m.name(), s.endpoint(), s.isLeader(), s.dbSize(), s.dbSizeInUse(), s.raftTerm(),
                s.raftIndex(), s.raftAppliedIndex(), s.version(), s.learner(), s.errors(), null);
    }

    private static Row failed(Member m, String endpoint, String error) {
        return new Row(m.idHex(), m.name(), endpoint, null, null, null, null, null, null, null, m.learner(),
                List.of(), error);
    }

    private static void print(Output out, List<Row> rows, boolean withErrors) {
        Table table = withErrors
                ? new Table("ID", "NAME", "ENDPOINT", "LEADER", "DB SIZE", "RAFT INDEX", "VERSION", "ERROR")
                : new Table("ID", "NAME", "ENDPOINT", "LEADER", "DB SIZE", "RAFT INDEX", "VERSION");
        for (Row r : rows) {
            if (r.error() != null) {
                table.row(r.id(), r.name(), r.endpoint(), "?", "?", "?", "?", r.error());
            } else {
                table.row(r.id(), r.name() + (r.learner() ? " (learner)" : ""), r.endpoint(),
                        r.leader() ? "yes" : "no", ProgressBar.bytes(r.dbSize()), r.raftIndex(), r.version(),
                        String.join(" ", r.errors()));
            }
        }
        out.table(table);
    }
}
