package io.etcdkit.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the last lines of a member's log file for error messages. Stateless and thread-safe.
 */
final class LogTail {

    /** How many log lines an error message carries. */
    static final int DEFAULT_LINES = 40;

    private LogTail() {
    }

    /**
     * Returns the last {@code maxLines} lines of {@code file}, or a short note if it cannot be read.
     * Never throws.
     */
    static String lastLines(Path file, int maxLines) {
        try {
            String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            List<String> lines = Arrays.asList(text.split("\\R"));
            int from = Math.max(0, lines.size() - maxLines);
            return String.join(System.lineSeparator(), lines.subList(from, lines.size()));
        } catch (NoSuchFileException e) {
            return "(no log file " + file + ")";
        } catch (IOException e) {
            return "(cannot read log file " + file + ": " + e + ")";
        }
    }

    /** Formats the log tail of a member as a block to append to an exception message. */
    static String section(String memberName, Path file) {
        return System.lineSeparator() + "--- last " + DEFAULT_LINES + " lines of " + memberName + " log (" + file
                + ") ---" + System.lineSeparator() + lastLines(file, DEFAULT_LINES);
    }

    /** Whether the log says a listener could not bind because the port was taken. */
    static boolean showsPortConflict(Path file) {
        return lastLines(file, 400).contains("address already in use");
    }
}
