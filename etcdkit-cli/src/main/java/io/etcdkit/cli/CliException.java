package io.etcdkit.cli;

/**
 * A command failed in a way the user must hear about as one line on stderr, with a chosen {@link ExitCode}.
 * The message says what was wrong and what to do.
 */
final class CliException extends RuntimeException {
    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** Bad usage ({@link ExitCode#USAGE}). */
    static CliException usage(String message) {
        return new CliException(ExitCode.USAGE, message);
    }

    int exitCode() {
        return exitCode;
    }
}
