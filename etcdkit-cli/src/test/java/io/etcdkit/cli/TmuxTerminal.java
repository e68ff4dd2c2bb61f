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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real terminal for a test: a private tmux server (its own socket) with one 200x50 window in which bash runs
 * {@code etcdkit} as a child JVM, as a person would from their shell. The test reads the screen, types keys
 * (Ctrl-C), and reads the exit status that bash prints when etcdkit has ended. {@link #close()} kills the tmux
 * server.
 *
 * <p>bash stays as the pane's process and reaps etcdkit itself: tmux 3.3 was seen to leave an exec'ed JVM
 * un-reaped now and then, so its own pane status is not relied on.
 */
final class TmuxTerminal implements AutoCloseable {
    private static final Duration COMMAND_LIMIT = Duration.ofSeconds(30);
    private static final String EXIT_MARK = "[etcdkit exited with ";

    private final String socket = "etcdkit-test-" + UUID.randomUUID();

    private TmuxTerminal() {
    }

    static boolean available() {
        return ChildJvm.onPath("tmux") && ChildJvm.onPath("bash");
    }

    /** Starts {@code etcdkit args...} in a new terminal; {@code dir} holds its launcher script. */
    static TmuxTerminal start(Path dir, String... args) {
        TmuxTerminal t = new TmuxTerminal();
        try {
            StringBuilder command = new StringBuilder(quote(ChildJvm.launcher(dir).toString()));
            for (String a : args) {
                command.append(' ').append(quote(a));
            }
            // bash waits for etcdkit; on Ctrl-C it carries on when etcdkit exits normally (as a JVM does) and
            // prints the exit status; then it stays, so the screen can still be read.
            String script = command + "; echo \"" + EXIT_MARK + "$?]\"; exec sleep 100000";
            t.tmux("-f", "/dev/null", "new-session", "-d", "-s", "cli", "-x", "200", "-y", "50",
                    "exec bash -c " + quote(script));
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

    /** Waits for etcdkit in the terminal to end; its exit status as bash saw it. */
    int awaitExit() {
        String screen = awaitScreen("etcdkit should have ended", s -> s.contains(EXIT_MARK));
        Matcher m = Pattern.compile(Pattern.quote(EXIT_MARK) + "(\\d+)]").matcher(screen);
        assertThat(m.find()).as(screen).isTrue();
        return Integer.parseInt(m.group(1));
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
