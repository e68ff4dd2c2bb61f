package io.etcdkit.cli;

import io.etcdkit.DeadlineExceededException;
import io.etcdkit.EtcdException;
import io.etcdkit.EtcdUnavailableException;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.InvalidConfigurationException;
import io.etcdkit.LeaseNotFoundException;
import io.etcdkit.OutcomeUnknownException;
import io.etcdkit.RequestTooLargeException;
import io.etcdkit.TooManyOperationsException;
import io.etcdkit.kv.BulkLoadException;
import io.etcdkit.recipes.lock.LockTimeoutException;
import io.etcdkit.recipes.session.SessionExpiredException;
import picocli.CommandLine;

/**
 * Reports a failed command as one line on stderr ({@code etcdkit get: <what was wrong and what to do>}; the stack
 * trace only with {@code --verbose}) and chooses its {@link ExitCode}: usage errors are 2, and etcdkit's typed
 * errors map to the codes scripts can rely on.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        int code = exitCodeOf(ex);
        if (code == ExitCode.INTERRUPTED) {
            return code; // Ctrl-C: the command already said what it stopped
        }
        if (GlobalOptions.of(cl).verbose) {
            ex.printStackTrace(cl.getErr());
        } else {
            cl.getErr().println(cl.getCommandSpec().qualifiedName() + ": " + oneLine(ex));
        }
        cl.getErr().flush();
        return code;
    }

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        StringBuilder line = new StringBuilder(cl.getCommandSpec().qualifiedName()).append(": ")
                .append(firstLine(ex.getMessage()));
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            line.append(" (did you mean ").append(String.join(" or ", u.getSuggestions())).append("?)");
        }
        if (ex instanceof CommandLine.UnmatchedArgumentException && cl.getCommand() instanceof LockCommand) {
            line.append(" (write -- before the command to run: etcdkit lock NAME -- COMMAND ARGS...)");
        }
        line.append("; see '").append(cl.getCommandSpec().qualifiedName()).append(" --help'");
        cl.getErr().println(line);
        cl.getErr().flush();
        return ExitCode.USAGE;
    }

    /** The exit code for a failure. */
    static int exitCodeOf(Throwable ex) {
        if (ex instanceof CliException c) {
            return c.exitCode();
        }
        if (ex instanceof BulkLoadException && ex.getCause() != null) {
            return exitCodeOf(ex.getCause());
        }
        if (ex instanceof InterruptedException || ex.getCause() instanceof InterruptedException) {
            return ExitCode.INTERRUPTED;
        }
        if (ex instanceof LockTimeoutException) {
            return ExitCode.WAIT_TIMEOUT;
        }
        if (ex instanceof SessionExpiredException) {
            return ExitCode.LOST;
        }
        if (ex instanceof OutcomeUnknownException) {
            return ExitCode.OUTCOME_UNKNOWN;
        }
        if (ex instanceof EtcdUnavailableException || ex instanceof DeadlineExceededException) {
            return ExitCode.UNAVAILABLE;
        }
        if (ex instanceof LeaseNotFoundException) {
            return ExitCode.NOT_FOUND;
        }
        if (ex instanceof InvalidArgumentException || ex instanceof InvalidConfigurationException
                || ex instanceof RequestTooLargeException || ex instanceof TooManyOperationsException
                || ex instanceof CommandLine.ParameterException) {
            return ExitCode.USAGE;
        }
        return ExitCode.FAILURE;
    }

    /** The failure as one line: our own and etcdkit's messages as they are, others with their type. */
    static String oneLine(Throwable ex) {
        String message = ex.getMessage();
        if (ex instanceof CliException || ex instanceof EtcdException) {
            return firstLine(message == null ? ex.getClass().getSimpleName() : message);
        }
        return ex.getClass().getSimpleName() + (message == null ? "" : ": " + firstLine(message));
    }

    private static String firstLine(String message) {
        String trimmed = message.strip();
        int nl = trimmed.indexOf('\n');
        return nl < 0 ? trimmed : trimmed.substring(0, nl).strip() + " (details with --verbose)";
    }
}
