package io.etcdkit.examples;

import io.etcdkit.EtcdClient;
import io.etcdkit.KeyValue;
import io.etcdkit.OutcomeUnknownException;
import io.etcdkit.kv.Range;
import io.etcdkit.recipes.repository.BatchConflictException;
import io.etcdkit.recipes.repository.History;
import io.etcdkit.recipes.repository.InvalidSelectorException;
import io.etcdkit.recipes.repository.LabelSelector;
import io.etcdkit.recipes.repository.Page;
import io.etcdkit.recipes.repository.QuotaExceededException;
import io.etcdkit.recipes.repository.Repository;
import io.etcdkit.recipes.repository.ResourceEvent;
import io.etcdkit.recipes.repository.ResourceExistsException;
import io.etcdkit.recipes.repository.VersionConflictException;
import io.etcdkit.recipes.repository.Versioned;
import io.etcdkit.watch.Watcher;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A typed repository of deployments: create, a conflicting update refused and retried, an update by function,
 * listing by label selector, a page walk at one revision, a TTL resource followed by a watch, version history, an
 * all-or-nothing batch, and a quota refusing a create. Uses the prefix {@code examples/repository/}.
 */
public final class RepositoryExample {
    static final String PREFIX = "examples/repository/";
    static final String DEPLOYMENTS = PREFIX + "deployments";
    static final String SANDBOXES = PREFIX + "sandboxes";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration PREVIEW_TTL = Duration.ofSeconds(5);

    /**
     * The resource: stored as its plain JSON; its team and tier are its labels.
     *
     * @param name the deployment's name (also its id)
     * @param team the owning team
     * @param tier web, api or batch
     * @param replicas how many instances run
     */
    public record Deployment(String name, String team, String tier, int replicas) {
        /** The labels selectors work on: taken from the value, so they can never disagree with it. */
        Map<String, String> labels() {
            return Map.of("team", team, "tier", tier);
        }

        /** A copy with another number of replicas. */
        Deployment withReplicas(int n) {
            return new Deployment(name, team, tier, n);
        }
    }

    private RepositoryExample() {
    }

    /** Runs the example against the endpoints in {@code args[0]} (else {@code ETCD_ENDPOINTS}). */
    public static void main(String[] args) throws Exception {
        run(args, System.out);
    }

    static void run(String[] args, PrintStream out) throws Exception {
        try (EtcdClient client = ExampleClient.connect(args)) {
            client.kv().deletePrefix(PREFIX);
            Repository<Deployment> deployments = Repository.builder(client, DEPLOYMENTS, Deployment.class)
                    .labels(Deployment::labels)
                    .build();

            // create: refused if the id exists; the version is the key's mod revision
            Versioned<Deployment> checkout = createOnce(deployments,
                    new Deployment("checkout", "payments", "web", 2));
            Versioned<Deployment> ledger = createOnce(deployments, new Deployment("ledger", "payments", "api", 3));
            createOnce(deployments, new Deployment("reports", "payments", "batch", 1));
            createOnce(deployments, new Deployment("search", "discovery", "web", 4));
            out.println("created checkout at version " + checkout.version() + " with labels "
                    + new TreeMap<>(checkout.labels()));
            out.println("stored at " + DEPLOYMENTS + "/checkout: "
                    + client.kv().get(DEPLOYMENTS + "/checkout").map(KeyValue::valueAsString).orElse("(absent)"));

            conflictingUpdates(deployments, out);

            // update by function: read, apply, compare-and-swap; re-read and re-apply on a conflict
            Versioned<Deployment> doubled = deployments.update("ledger", d -> d.withReplicas(d.replicas() * 2));
            out.println("ledger after update by function: " + doubled.value().replicas() + " replicas");

            // labels and selectors, evaluated by the client after reading
            List<Versioned<Deployment>> payments = deployments.list("team=payments,tier in (web,api)");
            out.println("team=payments,tier in (web,api): " + ids(payments));
            try {
                deployments.list("team=payments,tier in web");
            } catch (InvalidSelectorException e) {
                out.println(e.getMessage()); // says where (e.position()) and what was expected
            }

            pageWalk(deployments, out);
            ttlResourceAndWatch(deployments, out);

            // history: one read per version, newest first, back to the creation or to compacted history
            History<Deployment> history = deployments.history("checkout").orElseThrow();
            out.println("history of checkout: " + replicas(history));
            out.println("its last 2 versions: " + replicas(deployments.history("checkout", 2).orElseThrow()));

            batches(deployments, ledger, out);
            quota(client, out);

            client.kv().deletePrefix(PREFIX);
        }
    }

    /** Two writers read the same version; the second write is refused, re-read, re-applied and retried. */
    static void conflictingUpdates(Repository<Deployment> deployments, PrintStream out) {
        Versioned<Deployment> seenByAlice = deployments.get("checkout").orElseThrow();
        Versioned<Deployment> seenByBob = deployments.get("checkout").orElseThrow();

        Versioned<Deployment> alices = deployments.update("checkout", seenByAlice.value().withReplicas(4),
                seenByAlice.version());
        out.println("alice scaled checkout to 4 at version " + alices.version());
        try {
            deployments.update("checkout", seenByBob.value().withReplicas(seenByBob.value().replicas() + 1),
                    seenByBob.version());
        } catch (VersionConflictException e) {
            // nothing was written; e.currentVersion() is alice's version
            out.println("bob's update refused: expected version " + e.expectedVersion() + ", current version "
                    + e.currentVersion());
            Versioned<Deployment> fresh = deployments.get("checkout").orElseThrow();
            Versioned<Deployment> bobs = deployments.update("checkout",
                    fresh.value().withReplicas(fresh.value().replicas() + 1), fresh.version());
            out.println("bob re-read and retried: " + bobs.value());
        }
    }

    /** Pages of 2 at the first page's revision: a deployment created between pages is not in this listing. */
    static void pageWalk(Repository<Deployment> deployments, PrintStream out) {
        Page<Deployment> page = deployments.listPage(LabelSelector.everything(), 2, null);
        long revision = page.revision();
        out.println("page 1: " + ids(page.items()));

        createOnce(deployments, new Deployment("web-frontend", "storefront", "web", 2)); // between pages

        for (int n = 2; page.continueToken().isPresent(); n++) {
            page = deployments.listPage(LabelSelector.everything(), 2, page.continueToken().get());
            out.println("page " + n + ": " + ids(page.items()) + " (same revision: "
                    + (page.revision() == revision) + ")");
        }
        out.println("a new listing: " + ids(deployments.list()));
    }

    /** A resource on a lease of its own, followed by a watch until it expires. */
    static void ttlResourceAndWatch(Repository<Deployment> deployments, PrintStream out) throws Exception {
        BlockingQueue<ResourceEvent<Deployment>> events = new LinkedBlockingQueue<>();
        try (Watcher watcher = deployments.watch(events::add)) {
            // a watch "from now" starts when etcd confirms it: wait for Connected before relying on it
            ResourceEvent<Deployment> first = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            if (!(first instanceof ResourceEvent.Connected<Deployment>)) {
                throw new IllegalStateException("the watch did not connect within " + WAIT + ": " + first);
            }

            Versioned<Deployment> preview = deployments.create("preview-42",
                    new Deployment("preview-42", "payments", "web", 1), PREVIEW_TTL);
            out.println("preview-42 has a TTL: " + preview.hasTtl() + ", time left at most " + PREVIEW_TTL + ": "
                    + (deployments.remainingTtl("preview-42").compareTo(PREVIEW_TTL) <= 0));
            out.println("refreshed, it lives another " + deployments.refresh("preview-42"));
            Versioned<Deployment> scaled = deployments.update("preview-42", d -> d.withReplicas(2));
            out.println("the update kept its lease: " + (scaled.leaseId() == preview.leaseId()));

            // nobody refreshes it any more: it expires, and the watch reports the delete
            ResourceEvent<Deployment> change;
            do {
                change = nextChange(events);
                out.println("watch: " + describe(change));
            } while (!(change instanceof ResourceEvent.Deleted<Deployment>));
        }
        out.println("preview-42 exists: " + deployments.exists("preview-42"));
    }

    /** A batch with stale expectations is refused as a whole; the corrected one applies at one revision. */
    static void batches(Repository<Deployment> deployments, Versioned<Deployment> staleLedger, PrintStream out) {
        Versioned<Deployment> ledger = deployments.get("ledger").orElseThrow();
        Versioned<Deployment> reports = deployments.get("reports").orElseThrow();
        try {
            deployments.batch()
                    .create("search", new Deployment("search", "discovery", "web", 1))     // exists
                    .update("ledger", ledger.value().withReplicas(3), staleLedger.version()) // stale version
                    .delete("reports", reports.version())                                  // fine
                    .commit();
        } catch (BatchConflictException e) {
            out.println("batch refused, nothing written; conflicts:");
            e.conflicts().forEach(c -> out.println("  " + c));
        }
        out.println("reports still exists: " + deployments.exists("reports"));

        long revision = deployments.batch()
                .update("ledger", ledger.value().withReplicas(3), ledger.version())
                .delete("reports", reports.version())
                .create("search-canary", new Deployment("search-canary", "discovery", "web", 1))
                .commit();
        out.println("batch applied at one revision: "
                + (deployments.get("ledger").orElseThrow().version() == revision
                && deployments.get("search-canary").orElseThrow().version() == revision
                && !deployments.exists("reports")));
    }

    /** A repository that allows at most 2 resources, whoever creates them. */
    static void quota(EtcdClient client, PrintStream out) {
        Repository<Deployment> sandboxes = Repository.builder(client, SANDBOXES, Deployment.class)
                .labels(Deployment::labels)
                .quota(2)
                .build();
        Versioned<Deployment> one = sandboxes.create("sandbox-1", new Deployment("sandbox-1", "qa", "web", 1));
        sandboxes.create("sandbox-2", new Deployment("sandbox-2", "qa", "api", 1));
        try {
            sandboxes.create("sandbox-3", new Deployment("sandbox-3", "qa", "batch", 1));
        } catch (QuotaExceededException e) {
            out.println("sandbox-3 refused: " + e.getMessage());
        }
        sandboxes.delete("sandbox-1", one.version()); // frees its place in the same transaction
        sandboxes.create("sandbox-3", new Deployment("sandbox-3", "qa", "batch", 1));
        out.println("after deleting sandbox-1: " + ids(sandboxes.list()) + ", places taken: "
                + client.kv().count(Range.prefix(".etcdkit/repository/" + SANDBOXES + "/quota/slot/")));
    }

    /**
     * Creates a deployment (its name is its id) even when etcd's answer is lost. etcdkit never retries a write
     * whose outcome is unknown; here trying again is safe, because a create applies only to an absent id.
     */
    static Versioned<Deployment> createOnce(Repository<Deployment> repository, Deployment deployment) {
        String id = deployment.name();
        try {
            return repository.create(id, deployment);
        } catch (OutcomeUnknownException e) {
            // it may or may not have been applied: try again; if the first one was, this one is refused
            try {
                return repository.create(id, deployment);
            } catch (ResourceExistsException exists) {
                // compare what is there with what we meant to write
                Versioned<Deployment> now = repository.get(id).orElseThrow(() -> exists);
                if (now.value().equals(deployment)) {
                    return now; // ours (or someone wrote the very same value)
                }
                throw exists;
            }
        }
    }

    /** The next change event; connection events (disconnected, resumed, progress) are skipped here. */
    private static ResourceEvent<Deployment> nextChange(BlockingQueue<ResourceEvent<Deployment>> events)
            throws InterruptedException {
        while (true) {
            ResourceEvent<Deployment> event = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            if (event == null) {
                throw new IllegalStateException("no change was watched within " + WAIT);
            }
            if (event instanceof ResourceEvent.Compacted<?> || event instanceof ResourceEvent.Ended<?>) {
                throw new IllegalStateException("the watch ended: " + event);
            }
            boolean aboutTheWatch = event instanceof ResourceEvent.Connected<?>
                    || event instanceof ResourceEvent.Disconnected<?> || event instanceof ResourceEvent.Resumed<?>
                    || event instanceof ResourceEvent.Progress<?>;
            if (!aboutTheWatch) {
                return event; // created, updated, deleted or unreadable
            }
        }
    }

    private static String describe(ResourceEvent<Deployment> event) {
        if (event instanceof ResourceEvent.Created<Deployment> c) {
            return "created " + c.resource().id() + " with " + c.resource().value().replicas() + " replica(s)";
        }
        if (event instanceof ResourceEvent.Updated<Deployment> u) {
            return "updated " + u.resource().id() + " to " + u.resource().value().replicas() + " replica(s)";
        }
        if (event instanceof ResourceEvent.Deleted<Deployment> d) {
            return "deleted " + d.id() + " (last seen with "
                    + d.last().map(v -> v.value().replicas() + " replica(s))").orElse("an unreadable value)");
        }
        if (event instanceof ResourceEvent.Unreadable<Deployment> u) {
            return "unreadable " + u.id() + ": " + u.error().getMessage();
        }
        return event.toString();
    }

    /** The replicas of each version, newest first, and why the walk ended. */
    private static String replicas(History<Deployment> history) {
        return "replicas " + history.versions().stream().map(v -> String.valueOf(v.value().replicas()))
                .collect(Collectors.joining(", ")) + " (" + history.end() + ")";
    }

    private static List<String> ids(List<Versioned<Deployment>> resources) {
        return resources.stream().map(Versioned::id).toList();
    }
}
