package io.etcdkit.cli;

import io.etcdkit.EtcdClient;
import io.etcdkit.recipes.repository.InvalidSelectorException;
import io.etcdkit.recipes.repository.QuotaExceededException;
import io.etcdkit.recipes.repository.Repository;
import io.etcdkit.recipes.repository.Versioned;
import io.etcdkit.recipes.repository.VersionConflictException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * The demo's "Typed repository" section: JSON resources with versions, a lost update refused, a label selector,
 * a bad selector's error and a quota.
 */
final class DemoRepositorySection {
    /** A resource of the demo; its team and tier are its labels. */
    public record Deployment(String name, String team, String tier, int replicas) {}

    private final EtcdClient client;
    private final PrintWriter out;

    DemoRepositorySection(EtcdClient client, PrintWriter out) {
        this.client = client;
        this.out = out;
    }

    void run() {
        Repository<Deployment> deployments = Repository.builder(client, "deployments", Deployment.class)
                .labels(d -> Map.of("team", d.team(), "tier", d.tier()))
                .build();
        Versioned<Deployment> checkout =
                deployments.create("checkout", new Deployment("checkout", "payments", "web", 2));
        deployments.create("ledger", new Deployment("ledger", "payments", "db", 3));
        deployments.create("search", new Deployment("search", "discovery", "api", 4));
        out.println("created checkout, ledger, search; checkout is at version " + checkout.version()
                + " (its key's mod revision)");

        Versioned<Deployment> scaled = deployments.update("checkout", d -> new Deployment(d.name(), d.team(),
                d.tier(), d.replicas() + 1));
        out.println("scaled checkout to " + scaled.value().replicas() + " replicas -> version " + scaled.version());
        try {
            deployments.update("checkout", new Deployment("checkout", "payments", "web", 10), checkout.version());
        } catch (VersionConflictException e) {
            out.println("update with the stale version " + e.expectedVersion() + " -> VersionConflictException, "
                    + "current version " + e.currentVersion() + " (no update is lost)");
        }

        String selector = "team=payments,tier in (web,api)";
        List<String> matched = deployments.list(selector).stream().map(Versioned::id).toList();
        out.println("list '" + selector + "' -> " + matched);
        try {
            deployments.list("team in (payments");
        } catch (InvalidSelectorException e) {
            out.println("bad selector -> InvalidSelectorException at position " + e.position());
        }

        Repository<Deployment> sandbox = Repository.builder(client, "sandbox", Deployment.class).quota(2).build();
        sandbox.create("a", new Deployment("a", "labs", "web", 1));
        sandbox.create("b", new Deployment("b", "labs", "web", 1));
        try {
            sandbox.create("c", new Deployment("c", "labs", "web", 1));
        } catch (QuotaExceededException e) {
            out.println("third create with quota " + e.quota() + " -> QuotaExceededException (enforced in the "
                    + "create's own transaction, safe under concurrent creates)");
        }
    }
}
