package io.etcdkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real terminal for a test: a private tmux server (its own socket) with one 200x50 window running
 * {@code etcdkit} as a child JVM. The test reads the screen, types keys (Ctrl-C), and reads the exit status of the
 * process once it has ended. {@link #close()} kills the tmux server.
 */
final class TmuxTerminal implements AutoCloseable {
    private static final Duration COMMAND_LIMIT = Duration.ofSeconds(30);

    private final String socket = "etcdkit-test-" + UUID.randomUUID();

    private TmuxTerminal() {
    }

    static boolean available() {
        return ChildJvm.onPath("tmux");
    }

    /** Starts {@code etcdkit args...} in a new terminal; {@code dir} holds its launcher script. */
    static TmuxTerminal start(Path dir, String... args) {
        TmuxTerminal t = new TmuxTerminal();
        try {
            // An idle session keeps the server up and lets the option be set before the command starts.
            t.tmux("-f", "/dev/null", "new-session", "-d", "-s", "idle", "-x", "200", "-y", "50", "sleep 100000");
            t.tmux("set-option", "-g", "remain-on-exit", "on");
            StringBuilder command = new StringBuilder("exec ").append(quote(ChildJvm.launcher(dir).toString()));
            for (String a : args) {
                command.append(' ').append(quote(a));
            }
            t.tmux("new-session", "-d", "-s", "cli", "-x", "200", "-y", "50", command.toString());
            return t;
        } catch (RuntimeException e) {
            t.close();
            throw e;
        }
    }

    /** The screen's text (with scroll-back), wrapped lines joined. */
    String screen() {
        return tmux("capture-pane", "-p", "-J", "-t", "cli", "-S", "-200");
    }

    /** Waits until the screen satisfies {@code condition}; fails showing the screen otherwise. */
    String awaitScreen(String description, Predicate<String> condition) {
        boolean met = Eventually.holds(Cli.WAIT, () -> condition.test(screen()));
        String now = screen();
        assertThat(met).as("%s; the screen shows:\n%s", description, now).isTrue();
        return now;
    }

    /** Waits until the screen contains {@code text}. */
    String awaitScreen(String text) {
        return awaitScreen("the screen should show '" + text + "'", s -> s.contains(text));
    }

    /** Types keys, e.g. {@code C-c} for Ctrl-C. */
    void sendKeys(String keys) {
        tmux("send-keys", "-t", "cli", keys);
    }

    /** Waits for the process in the terminal to end; its exit status. */
    int awaitExit() {
        boolean dead = Eventually.holds(Cli.WAIT, () -> tmux("display-message", "-p", "-t", "cli", "#{pane_dead}")
                .strip().equals("1"));
        assertThat(dead).as("the command should have ended; the screen shows:\n%s", screen()).isTrue();
        return Integer.parseInt(tmux("display-message", "-p", "-t", "cli", "#{pane_dead_status}").strip());
    }

    @Override
    public void close() {
        try {
            tmux("kill-server");
        } catch (RuntimeException e) {
            // the server may not have started
        }
    }

    private String tmux(String... args) {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(COMMAND_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("tmux " + String.join(" ", args) + " did not finish");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("tmux " + String.join(" ", args) + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run tmux", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running tmux", e);
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
