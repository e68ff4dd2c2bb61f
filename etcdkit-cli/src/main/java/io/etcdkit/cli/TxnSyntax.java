package io.etcdkit.cli;

import io.etcdkit.kv.Compare;
import io.etcdkit.kv.Delete;
import io.etcdkit.kv.Op;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.Range;
import java.util.Locale;

/**
 * The text syntax of {@code etcdkit txn}'s compares and operations.
 *
 * <pre>
 * compare:   TARGET(KEY) OP VALUE      TARGET: value | version | create | mod | lease     OP: = == != &gt; &lt;
 *            exists(KEY)  absent(KEY)
 * operation: put KEY VALUE   del [--prefix] KEY   get [--prefix] KEY
 * </pre>
 *
 * <p>{@code create} and {@code mod} are the key's create and last modification revisions, {@code version} its
 * number of changes (0 when absent), {@code lease} its lease id in hex (0: none). A value is the rest of the text,
 * trimmed; a key is one word. Either may be written in double quotes to hold spaces, parentheses, or nothing
 * ({@code ""}), with {@code \"} and {@code \\} inside. Bad syntax is a usage error naming what was expected.
 */
final class TxnSyntax {
    static final String COMPARE_FORM = "TARGET(KEY) OP VALUE with TARGET one of value, version, create, mod, lease "
            + "and OP one of = != > <, or exists(KEY) or absent(KEY), e.g. 'value(config/mode) = fast'";
    static final String OPERATION_FORM = "'put KEY VALUE', 'del [--prefix] KEY' or 'get [--prefix] KEY' "
            + "(double-quote a key or value with spaces)";

    /** An operation with what the user wrote, for printing its result. */
    record Operation(String verb, String key, boolean prefix, Op op) {
        String describe() {
            return verb + (prefix ? " --prefix " : " ") + key;
        }
    }

    private TxnSyntax() {
    }

    /** Parses the text of one {@code --if}. */
    static Compare compare(String text) {
        Cursor c = new Cursor(text, "--if", COMPARE_FORM);
        String target = c.word("(").toLowerCase(Locale.ROOT);
        c.expect('(');
        String key = c.token(")");
        c.expect(')');
        if (target.equals("exists") || target.equals("absent")) {
            c.end();
            return target.equals("exists") ? Compare.exists(key) : Compare.absent(key);
        }
        String op = c.operator();
        String constant = c.rest();
        return switch (target) {
            case "value" -> valueCompare(c, key, op, constant);
            case "version" -> numberCompare(c, Compare.version(key), op, number(c, constant));
            case "create", "create_revision", "createrevision" ->
                    numberCompare(c, Compare.createRevision(key), op, number(c, constant));
            case "mod", "mod_revision", "modrevision" ->
                    numberCompare(c, Compare.modRevision(key), op, number(c, constant));
            case "lease" -> numberCompare(c, Compare.lease(key), op, leaseId(c, constant));
            default -> throw c.error("unknown target '" + target + "'");
        };
    }

    /** Parses the text of one {@code --then} or {@code --else}. */
    static Operation operation(String text, String option) {
        Cursor c = new Cursor(text, option, OPERATION_FORM);
        String verb = c.word(" ").toLowerCase(Locale.ROOT);
        switch (verb) {
            case "put" -> {
                String key = c.token(" ");
                if (c.atEnd()) {
                    throw c.error("put needs a value after the key");
                }
                String value = c.rest();
                return new Operation(verb, key, false, Put.of(key, value));
            }
            case "del", "get" -> {
                boolean prefix = c.flag("--prefix");
                String key = c.token(" ");
                c.end();
                Op op = verb.equals("del")
                        ? (prefix ? Delete.prefix(nonEmptyPrefix(c, key)) : Delete.key(key))
                        : (prefix ? Range.prefix(key) : Range.key(key));
                return new Operation(verb, key, prefix, op);
            }
            default -> throw c.error("unknown operation '" + verb + "'");
        }
    }

    private static String nonEmptyPrefix(Cursor c, String prefix) {
        if (prefix.isEmpty()) {
            throw c.error("an empty prefix would delete every key");
        }
        return prefix;
    }

    private static Compare valueCompare(Cursor c, String key, String op, String value) {
        Compare.ValueCompare v = Compare.value(key);
        return switch (op) {
            case "=" -> v.equalTo(value);
            case "!=" -> v.notEqualTo(value);
            case ">" -> v.greaterThan(io.etcdkit.Bytes.of(value));
            case "<" -> v.lessThan(io.etcdkit.Bytes.of(value));
            default -> throw c.error("unknown operator '" + op + "'");
        };
    }

    private static Compare numberCompare(Cursor c, Compare.NumberCompare n, String op, long value) {
        return switch (op) {
            case "=" -> n.equalTo(value);
            case "!=" -> n.notEqualTo(value);
            case ">" -> n.greaterThan(value);
            case "<" -> n.lessThan(value);
            default -> throw c.error("unknown operator '" + op + "'");
        };
    }

    private static long number(Cursor c, String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw c.error("'" + text + "' is not a whole number");
        }
    }

    private static long leaseId(Cursor c, String text) {
        try {
            return Long.parseUnsignedLong(text.startsWith("0x") ? text.substring(2) : text, 16);
        } catch (NumberFormatException e) {
            throw c.error("'" + text + "' is not a lease id in hex (0 for none)");
        }
    }

    /** Reads one expression left to right. */
    private static final class Cursor {
        private final String text;
        private final String option;
        private final String form;
        private int pos;

        Cursor(String text, String option, String form) {
            this.text = text;
            this.option = option;
            this.form = form;
        }

        CliException error(String problem) {
            return CliException.usage(option + " '" + text + "': " + problem + "; expected " + form);
        }

        boolean atEnd() {
            skipSpaces();
            return pos >= text.length();
        }

        void end() {
            if (!atEnd()) {
                throw error("unexpected '" + text.substring(pos) + "'");
            }
        }

        void expect(char ch) {
            skipSpaces();
            if (pos >= text.length() || text.charAt(pos) != ch) {
                throw error("expected '" + ch + "' at " + (pos >= text.length() ? "the end"
                        : "'" + text.substring(pos) + "'"));
            }
            pos++;
        }

        /** A bare word ending before whitespace or one of {@code stops}. */
        String word(String stops) {
            skipSpaces();
            int start = pos;
            while (pos < text.length() && !Character.isWhitespace(text.charAt(pos))
                    && stops.indexOf(text.charAt(pos)) < 0) {
                pos++;
            }
            if (start == pos) {
                throw error(pos >= text.length() ? "it is incomplete" : "unexpected '" + text.substring(pos) + "'");
            }
            return text.substring(start, pos);
        }

        /** A quoted string, or a bare word ending before whitespace or one of {@code stops}. */
        String token(String stops) {
            skipSpaces();
            return pos < text.length() && text.charAt(pos) == '"' ? quoted() : word(stops);
        }

        boolean flag(String name) {
            skipSpaces();
            if (text.startsWith(name, pos) && (pos + name.length() == text.length()
                    || Character.isWhitespace(text.charAt(pos + name.length())))) {
                pos += name.length();
                return true;
            }
            return false;
        }

        String operator() {
            skipSpaces();
            for (String op : new String[] {"==", "!=", "=", ">", "<"}) {
                if (text.startsWith(op, pos)) {
                    pos += op.length();
                    return op.equals("==") ? "=" : op;
                }
            }
            throw error(pos >= text.length() ? "the operator and value are missing"
                    : "expected an operator at '" + text.substring(pos) + "'");
        }

        /** The rest of the text, trimmed, or one quoted string that must end the text. */
        String rest() {
            skipSpaces();
            if (pos < text.length() && text.charAt(pos) == '"') {
                String value = quoted();
                end();
                return value;
            }
            String value = text.substring(pos).strip();
            pos = text.length();
            if (value.isEmpty()) {
                throw error("the value is missing (write \"\" for the empty value)");
            }
            return value;
        }

        private String quoted() {
            StringBuilder sb = new StringBuilder();
            pos++; // opening quote
            while (pos < text.length()) {
                char ch = text.charAt(pos++);
                if (ch == '"') {
                    return sb.toString();
                }
                if (ch == '\\' && pos < text.length()) {
                    char next = text.charAt(pos++);
                    sb.append(switch (next) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        default -> next;
                    });
                } else {
                    sb.append(ch);
                }
            }
            throw error("a double quote is not closed");
        }

        private void skipSpaces() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }
    }
}
