package io.etcdkit.cli;

import io.etcdkit.EtcdClient;
import io.etcdkit.EtcdClientBuilder;
import java.io.Console;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The options every command takes, before or after its name: where etcd is and how to talk to it, and how to
 * print. One instance per run, held by the root command; subcommands reach it with {@link #of(CommandLine)}.
 */
final class GlobalOptions {
    private static final Duration MAX_CONNECT = Duration.ofSeconds(5);
    private static final Duration MAX_ATTEMPT = Duration.ofSeconds(3);

    @Option(names = "--endpoints", paramLabel = "URLS", scope = ScopeType.INHERIT,
            description = "Comma-separated etcd endpoints (default: $ETCD_ENDPOINTS, else http://127.0.0.1:2379).")
    String endpoints;

    @Option(names = "--namespace", paramLabel = "PREFIX", scope = ScopeType.INHERIT,
            description = "Put every key read or written under PREFIX (keys shown are relative to it).")
    String namespace;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s", scope = ScopeType.INHERIT,
            converter = DurationConverter.class,
            description = "Deadline of each etcd call, e.g. 10s, 500ms, 2m (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--cacert", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "Verify the members' TLS certificates with this PEM CA bundle (https:// endpoints).")
    Path cacert;

    @Option(names = "--cert", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "Client certificate (PEM) for mutual TLS; needs --key.")
    Path cert;

    @Option(names = "--key", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "Client private key (PKCS#8 PEM) for mutual TLS; needs --cert.")
    Path key;

    @Option(names = "--user", paramLabel = "NAME[:PASSWORD]", scope = ScopeType.INHERIT,
            description = "Authenticate as this etcd user; without a password here or in --password it is asked "
                    + "for on the terminal.")
    String user;

    @Option(names = "--password", paramLabel = "PASSWORD", scope = ScopeType.INHERIT,
            description = "Password for --user.")
    String password;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table", scope = ScopeType.INHERIT,
            description = "table (for people, the default) or json (for programs).")
    OutputFormat output;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces with errors.")
    boolean verbose;

    @Option(names = "--progress", scope = ScopeType.INHERIT,
            description = "Draw progress bars on stderr even when it is not a terminal.")
    boolean progress;

    /** Whether stderr is a terminal (set by {@link Main}; false when run in-process). */
    boolean stderrIsTerminal;

    /** The options of the run that {@code cl} belongs to. */
    static GlobalOptions of(CommandLine cl) {
        CommandLine root = cl;
        while (root.getParent() != null) {
            root = root.getParent();
        }
        return ((EtcdkitCommand) root.getCommand()).options;
    }

    /** How results are printed. */
    enum OutputFormat { TABLE, JSON }

    /** The printer for results on {@code out}. */
    Output output(PrintWriter out) {
        return new Output(out, output == OutputFormat.JSON);
    }

    /** Whether progress bars are drawn (rather than plain periodic lines). */
    boolean drawProgressBars() {
        return progress || stderrIsTerminal;
    }

    /** The endpoints: {@code --endpoints}, else {@code ETCD_ENDPOINTS}, else {@code http://127.0.0.1:2379}. */
    List<String> endpointList() {
        try (Endpoints where = Endpoints.resolve(endpoints, false, null)) {
            return where.list();
        }
    }

    /** A client for the endpoints with these options. */
    EtcdClient connect() {
        return connect(endpointList());
    }

    /** A client for {@code endpointUrls} with these options (TLS, credentials, timeout, namespace). */
    EtcdClient connect(List<String> endpointUrls) {
        return connect(endpointUrls, b -> { });
    }

    /** Like {@link #connect(List)}, with {@code tune} applied to the builder last. */
    EtcdClient connect(List<String> endpointUrls, java.util.function.Consumer<EtcdClientBuilder> tune) {
        EtcdClientBuilder b = EtcdClient.builder().endpoints(endpointUrls)
                .deadline(timeout)
                .connectTimeout(min(timeout, MAX_CONNECT))
                .attemptTimeout(min(timeout, MAX_ATTEMPT));
        if (namespace != null) {
            b.namespace(namespace);
        }
        if (cacert != null) {
            b.trustedCertificates(readable(cacert, "--cacert"));
        }
        if ((cert == null) != (key == null)) {
            throw CliException.usage("--cert and --key go together: give both for mutual TLS, or neither");
        }
        if (cert != null) {
            b.clientCertificate(readable(cert, "--cert"), readable(key, "--key"));
        }
        if (user != null) {
            b.credentials(userName(), password());
        } else if (password != null) {
            throw CliException.usage("--password needs --user");
        }
        tune.accept(b);
        return b.build();
    }

    private String userName() {
        int colon = user.indexOf(':');
        return colon < 0 ? user : user.substring(0, colon);
    }

    private String password() {
        int colon = user.indexOf(':');
        if (colon >= 0) {
            return user.substring(colon + 1);
        }
        if (password != null) {
            return password;
        }
        Console console = System.console();
        if (console == null) {
            throw CliException.usage("no password for user '" + user + "': give --password or --user "
                    + user + ":PASSWORD");
        }
        char[] typed = console.readPassword("Password for etcd user %s: ", user);
        if (typed == null) {
            throw CliException.usage("no password for user '" + user + "' was typed");
        }
        return new String(typed);
    }

    private static Path readable(Path file, String option) {
        if (!Files.isReadable(file)) {
            throw CliException.usage(option + " " + file + ": no such readable file");
        }
        return file;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
