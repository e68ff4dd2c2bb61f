package io.etcdkit.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Durations on the command line: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, a plain number of seconds
 * ({@code 30}), or ISO-8601 ({@code PT1M30S}). Must be positive.
 */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern SIMPLE = Pattern.compile("(\\d+)(ms|s|m|h)?");

    @Override
    public Duration convert(String text) {
        Duration d = parse(text.strip());
        if (d == null || d.isZero() || d.isNegative()) {
            throw new CommandLine.TypeConversionException("expected a positive duration like 500ms, 10s, 2m, 1h "
                    + "or a number of seconds, got '" + text + "'");
        }
        return d;
    }

    private static Duration parse(String text) {
        Matcher m = SIMPLE.matcher(text);
        if (m.matches()) {
            long n;
            try {
                n = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                return null;
            }
            String unit = m.group(2) == null ? "s" : m.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofSeconds(n);
            };
        }
        try {
            return Duration.parse(text.toUpperCase(java.util.Locale.ROOT));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** {@code d} as the command line writes it: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}. */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        if (s != 0 && s % 3600 == 0) {
            return s / 3600 + "h";
        }
        return s != 0 && s % 60 == 0 ? s / 60 + "m" : s + "s";
    }
}
