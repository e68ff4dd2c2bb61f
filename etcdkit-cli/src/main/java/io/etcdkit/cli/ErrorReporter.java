package io.etcdkit.cli;

import picocli.CommandLine;

/**
 * Prints a failed command's error as one line on stderr (the stack trace only with {@code --verbose}) and
 * returns exit code 1.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        boolean verbose = parsed.hasMatchedOption("--verbose")
                || (parsed.subcommand() != null && parsed.subcommand().hasMatchedOption("--verbose"));
        if (verbose) {
            ex.printStackTrace(cl.getErr());
        } else {
            cl.getErr().println("etcdkit: " + ex.getClass().getSimpleName() + ": " + ex.getMessage());
        }
        return 1;
    }
}
