package io.etcdkit.internal.kv;

import io.etcdkit.InvalidArgumentException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A glob over key names: {@code *} any run without {@code /}, {@code **} any run, {@code ?} one character
 * (not {@code /}), {@code [..]} a character class, {@code \} escapes the next character.
 *
 * @param literalPrefix the part before the first wildcard, sent to etcd as a prefix
 * @param pattern the whole glob as a regular expression
 */
record Glob(String literalPrefix, Pattern pattern) {

    static Glob parse(String glob) {
        Objects.requireNonNull(glob, "glob");
        if (glob.isEmpty()) {
            throw new InvalidArgumentException("the key pattern is empty; use e.g. 'config/*' or 'jobs/**/done'");
        }
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        boolean wildcardSeen = false;
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '\\' -> {
                    if (i + 1 >= glob.length()) {
                        throw new InvalidArgumentException("the key pattern '" + glob + "' ends with a lone '\\'; "
                                + "escape it as '\\\\'");
                    }
                    char next = glob.charAt(++i);
                    regex.append(Pattern.quote(String.valueOf(next)));
                    if (!wildcardSeen) {
                        literal.append(next);
                    }
                }
                case '*' -> {
                    wildcardSeen = true;
                    if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                        regex.append(".*");
                        i++;
                    } else {
                        regex.append("[^/]*");
                    }
                }
                case '?' -> {
                    wildcardSeen = true;
                    regex.append("[^/]");
                }
                case '[' -> {
                    wildcardSeen = true;
                    int close = glob.indexOf(']', i + 2);
                    if (close < 0) {
                        throw new InvalidArgumentException("the key pattern '" + glob + "' has an unclosed '[' at "
                                + "position " + i + "; close the character class with ']' or escape it as '\\['");
                    }
                    String body = glob.substring(i + 1, close);
                    if (body.startsWith("!")) {
                        body = "^" + body.substring(1);
                    }
                    regex.append('[').append(body.replace("\\", "\\\\").replace("[", "\\[")).append(']');
                    i = close;
                }
                default -> {
                    regex.append(Pattern.quote(String.valueOf(c)));
                    if (!wildcardSeen) {
                        literal.append(c);
                    }
                }
            }
        }
        return new Glob(literal.toString(), Pattern.compile(regex.toString(), Pattern.DOTALL));
    }

    boolean matches(String key) {
        return pattern.matcher(key).matches();
    }
}
