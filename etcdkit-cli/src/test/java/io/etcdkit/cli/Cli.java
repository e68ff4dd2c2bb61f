package io.etcdkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Runs the etcdkit command line in this JVM and captures what it printed, for tests. */
final class Cli {
    static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one run printed and returned. */
    record Result(int code, String out, String err) {
        /** stdout parsed as one JSON document. */
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new UncheckedIOException("stdout is not JSON: " + out, e);
            }
        }

        /** stdout parsed as one JSON document per line. */
        List<JsonNode> jsonLines() {
            return jsonLinesOf(out);
        }

        /** stderr, which must be exactly one line. */
        String errLine() {
            assertThat(err.strip().lines().count()).as("stderr must be one line: %s", err).isEqualTo(1);
            return err.strip();
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Cli() {
    }

    /** Runs {@code etcdkit args...} and waits for it to end. */
    static Result run(String... args) {
        return runWithStdin("", args);
    }

    /** Runs {@code etcdkit args...} with {@code stdin} as its standard input. */
    static Result runWithStdin(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
        int code = EtcdkitCommand.run(in, new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    /** Starts {@code etcdkit args...} on its own thread, for commands that run until Ctrl-C. */
    static Background start(String... args) {
        return new Background(args);
    }

    static List<JsonNode> jsonLinesOf(String text) {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                try {
                    nodes.add(JSON.readTree(line));
                } catch (IOException e) {
                    throw new UncheckedIOException("not a JSON line: " + line, e);
                }
            }
        }
        return nodes;
    }

    /** A command running on its own thread; {@link #stop()} interrupts it as Ctrl-C would. */
    static final class Background implements AutoCloseable {
        private final StringWriter out = new StringWriter();
        private final StringWriter err = new StringWriter();
        private final Thread thread;
        private volatile int code = -1;

        private Background(String... args) {
            thread = new Thread(() -> code = EtcdkitCommand.run(new PrintWriter(out, true),
                    new PrintWriter(err, true), args), "etcdkit " + String.join(" ", args));
            thread.start();
        }

        String out() {
            return out.toString();
        }

        String err() {
            return err.toString();
        }

        /** Waits until stdout satisfies {@code condition}; fails with what was printed otherwise. */
        void awaitOut(String description, Predicate<String> condition) {
            boolean met = Eventually.holds(WAIT, () -> condition.test(out()) || !thread.isAlive());
            assertThat(condition.test(out())).as("%s; the command printed:\n%s\n--- stderr\n%s (still running: %s)",
                    description, out(), err(), thread.isAlive()).isTrue();
            assertThat(met).isTrue();
        }

        /** Waits until stdout contains {@code text}. */
        void awaitOut(String text) {
            awaitOut("stdout should contain '" + text + "'", s -> s.contains(text));
        }

        /** Waits for the command to end by itself; its exit code. */
        int awaitExit() {
            try {
                thread.join(WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            assertThat(thread.isAlive()).as("the command should have ended; it printed:\n%s\n--- stderr\n%s", out(),
                    err()).isFalse();
            return code;
        }

        /** Interrupts the command (what Ctrl-C does) and returns its exit code. */
        int stop() {
            thread.interrupt();
            return awaitExit();
        }

        boolean isRunning() {
            return thread.isAlive();
        }

        @Override
        public void close() {
            if (thread.isAlive()) {
                thread.interrupt();
                try {
                    thread.join(TimeUnit.SECONDS.toMillis(30));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
