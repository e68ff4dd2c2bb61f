package io.etcdkit.testing.nemesis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.etcdkit.testing.EtcdTestingException;

/**
 * Runs {@code iptables -w} (waiting for the xtables lock) with a bounded wait, and lists and deletes rules by their
 * comment tag. Stateless and thread-safe.
 */
final class Iptables {

    /** The chain every rule goes into, in both the {@code filter} and the {@code mangle} table. */
    static final String CHAIN = "OUTPUT";
    static final List<String> TABLES = List.of("mangle", "filter");

    private static final long TIMEOUT_SECONDS = 20;

    private Iptables() {
    }

    /** The outcome of one run. */
    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    /** Runs {@code iptables -w <args>}; never throws for a non-zero exit (the result says). */
    static Result run(List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("iptables");
        command.add("-w");
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, "iptables did not finish in " + TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IOException("interrupted while running " + command, e);
        }
    }

    /** Runs {@code iptables -w <args>} and throws with the command and its output when it fails. */
    static void require(List<String> args) {
        try {
            Result result = run(args);
            if (!result.ok()) {
                throw new EtcdTestingException("`iptables -w " + String.join(" ", args) + "` failed with exit code "
                        + result.exitCode() + ": " + result.output().trim());
            }
        } catch (IOException e) {
            throw new EtcdTestingException("Cannot run `iptables -w " + String.join(" ", args) + "`: " + e, e);
        }
    }

    /**
     * The rules of {@link #CHAIN} in {@code table}, as {@code iptables -S} prints them (each split into its
     * arguments, starting with {@code -A}).
     */
    static List<List<String>> list(String table) {
        try {
            Result result = run(List.of("-t", table, "-S", CHAIN));
            if (!result.ok()) {
                throw new EtcdTestingException("`iptables -w -t " + table + " -S " + CHAIN + "` failed with exit code "
                        + result.exitCode() + ": " + result.output().trim());
            }
            List<List<String>> rules = new ArrayList<>();
            for (String line : result.output().split("\n")) {
                if (line.startsWith("-A ")) {
                    rules.add(split(line));
                }
            }
            return rules;
        } catch (IOException e) {
            throw new EtcdTestingException("Cannot run iptables to list rules: " + e, e);
        }
    }

    /** The comment of a listed rule, or empty. */
    static String comment(List<String> rule) {
        int at = rule.indexOf("--comment");
        return at >= 0 && at + 1 < rule.size() ? rule.get(at + 1) : "";
    }

    /** Deletes one listed rule of {@code table} (its {@code -A} turned into {@code -D}). */
    static void delete(String table, List<String> rule) {
        List<String> args = new ArrayList<>();
        args.add("-t");
        args.add(table);
        args.add("-D");
        args.addAll(rule.subList(1, rule.size()));
        require(args);
    }

    /** Splits an {@code iptables -S} line into arguments, honouring double quotes. */
    static List<String> split(String line) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (c == '\\' && quoted && i + 1 < line.length()) {
                current.append(line.charAt(++i));
            } else if (c == ' ' && !quoted) {
                if (any || current.length() > 0) {
                    parts.add(current.toString());
                }
                current.setLength(0);
                any = false;
            } else {
                current.append(c);
            }
        }
        if (any || current.length() > 0) {
            parts.add(current.toString());
        }
        return parts;
    }
}
