package io.etcdkit.cli;

/**
 * The exit codes of the {@code etcdkit} command, for scripts. They are part of the command's contract: the same
 * table is printed at the end of {@code etcdkit --help} and in the CLI's README.
 */
final class ExitCode {
    /** The command did what it was asked. */
    static final int OK = 0;
    /** A failure not covered by a more specific code (etcd refused the request, permission denied, I/O error). */
    static final int FAILURE = 1;
    /** Bad usage: unknown command or option, malformed value, txn expression or input line, invalid argument. */
    static final int USAGE = 2;
    /** Not found: {@code get} matched no key, or a lease does not exist. */
    static final int NOT_FOUND = 3;
    /** A compare failed: {@code txn} ran its else branch. */
    static final int COMPARE_FAILED = 4;
    /** etcd could not be reached, had no leader, or did not answer within {@code --timeout}. */
    static final int UNAVAILABLE = 5;
    /** {@code lock} or {@code elect} did not get the lock or leadership within {@code --wait}. */
    static final int WAIT_TIMEOUT = 6;
    /** A write was sent but its answer was lost: it may or may not have been applied. Check before retrying. */
    static final int OUTCOME_UNKNOWN = 7;
    /** The session behind a held lock or leadership expired while it was held ({@code lock}, {@code elect}). */
    static final int LOST = 8;
    /** Stopped by Ctrl-C (SIGINT): the normal end of {@code up}, {@code watch}, {@code elect} and the like. */
    static final int INTERRUPTED = 130;

    /** The table as printed in the help. */
    static final String[] TABLE = {
        "Exit codes:",
        "  0    ok",
        "  1    failure not covered below (etcd refused, permission denied, I/O)",
        "  2    usage error: unknown command or option, malformed value, txn",
        "       expression or input line",
        "  3    not found: get matched no key; the lease does not exist",
        "  4    compare failed: txn ran its else branch",
        "  5    etcd unavailable: unreachable, no leader, no answer in --timeout",
        "  6    lock or elect did not succeed within --wait",
        "  7    outcome unknown: a write was sent but its answer was lost",
        "       (it may have been applied; check before retrying)",
        "  8    lost: the session of a held lock or leadership expired",
        "  130  interrupted by Ctrl-C: how up, watch, elect and registry",
        "       register/watch end",
        "  lock NAME -- CMD exits with CMD's exit code (127: CMD cannot start).",
        "",
    };

    private ExitCode() {
    }
}
