package io.etcdkit.recipes.repository;

import io.etcdkit.recipes.repository.LabelRequirement.Operator;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses the label selector syntax of {@link LabelSelector}: a hand-written lexer (words and the symbols
 * {@code , = == != ! ( )}, whitespace skipped) and a recursive-descent parser over it. Every error names the
 * position and what was expected there. One instance parses one selector; not thread-safe.
 *
 * <pre>
 * selector    := ε | requirement ("," requirement)*
 * requirement := "!" key | key | key ("=" | "==" | "!=") value? | key ("in" | "notin") "(" value ("," value)* ")"
 * </pre>
 */
final class SelectorParser {
    private enum Kind { WORD, COMMA, EQ, DOUBLE_EQ, NOT_EQ, BANG, OPEN, CLOSE, END }

    private record Token(Kind kind, String text, int position) {
        String describe() {
            return kind == Kind.END ? "the end" : "'" + text + "'";
        }
    }

    private final String input;
    private final List<Token> tokens;
    private int next;

    SelectorParser(String input) {
        this.input = input;
        this.tokens = lex(input);
    }

    List<LabelRequirement> parse() {
        List<LabelRequirement> out = new ArrayList<>();
        if (peek().kind() == Kind.END) {
            return out;
        }
        out.add(requirement("a label key or '!'"));
        while (peek().kind() != Kind.END) {
            expect(Kind.COMMA, "',' or the end after '" + out.get(out.size() - 1) + "'");
            out.add(requirement("a label key or '!' after ','"));
        }
        return out;
    }

    private LabelRequirement requirement(String expected) {
        Token first = peek();
        if (first.kind() == Kind.BANG) {
            take();
            String key = key(expect(Kind.WORD, "a label key after '!'"));
            return new LabelRequirement(key, Operator.DOES_NOT_EXIST, Set.of());
        }
        String key = key(expect(Kind.WORD, expected));
        Token op = peek();
        switch (op.kind()) {
            case END, COMMA:
                return new LabelRequirement(key, Operator.EXISTS, Set.of());
            case EQ, DOUBLE_EQ, NOT_EQ:
                take();
                Operator operator = op.kind() == Kind.NOT_EQ ? Operator.NOT_EQUALS : Operator.EQUALS;
                return new LabelRequirement(key, operator, Set.of(optionalValue(op)));
            case WORD:
                if (op.text().equals("in") || op.text().equals("notin")) {
                    take();
                    Operator set = op.text().equals("in") ? Operator.IN : Operator.NOT_IN;
                    return new LabelRequirement(key, set, values(op.text()));
                }
                break;
            default:
                break;
        }
        throw error(op, "'=', '==', '!=', 'in', 'notin', ',' or the end after label key '" + key + "'");
    }

    /** The value after {@code =}, {@code ==} or {@code !=}; empty when the requirement ends there. */
    private String optionalValue(Token op) {
        Token t = peek();
        if (t.kind() == Kind.END || t.kind() == Kind.COMMA) {
            return "";
        }
        return value(expect(Kind.WORD, "a value after '" + op.text() + "'"));
    }

    private Set<String> values(String keyword) {
        expect(Kind.OPEN, "'(' after '" + keyword + "'");
        Set<String> values = new LinkedHashSet<>();
        values.add(value(expect(Kind.WORD, "a value after '('")));
        while (peek().kind() == Kind.COMMA) {
            take();
            values.add(value(expect(Kind.WORD, "a value after ','")));
        }
        expect(Kind.CLOSE, "',' or ')' in the value list of '" + keyword + "'");
        return values;
    }

    private String key(Token word) {
        String problem = LabelRules.keyProblem(word.text());
        if (problem != null) {
            throw new InvalidSelectorException(input, word.position(), problem);
        }
        return word.text();
    }

    private String value(Token word) {
        String problem = LabelRules.valueProblem(word.text());
        if (problem != null) {
            throw new InvalidSelectorException(input, word.position(), problem);
        }
        return word.text();
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token take() {
        Token t = tokens.get(next);
        if (t.kind() != Kind.END) {
            next++;
        }
        return t;
    }

    private Token expect(Kind kind, String expected) {
        Token t = peek();
        if (t.kind() != kind) {
            throw error(t, expected);
        }
        return take();
    }

    private InvalidSelectorException error(Token found, String expected) {
        return new InvalidSelectorException(input, found.position(), "expected " + expected + ", found "
                + found.describe());
    }

    private List<Token> lex(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            boolean twoChar = i + 1 < s.length() && s.charAt(i + 1) == '=';
            switch (c) {
                case ',' -> out.add(new Token(Kind.COMMA, ",", i));
                case '(' -> out.add(new Token(Kind.OPEN, "(", i));
                case ')' -> out.add(new Token(Kind.CLOSE, ")", i));
                case '=' -> out.add(twoChar ? new Token(Kind.DOUBLE_EQ, "==", i) : new Token(Kind.EQ, "=", i));
                case '!' -> out.add(twoChar ? new Token(Kind.NOT_EQ, "!=", i) : new Token(Kind.BANG, "!", i));
                default -> {
                    int start = i;
                    while (i < s.length() && isWordChar(s.charAt(i))) {
                        i++;
                    }
                    out.add(new Token(Kind.WORD, s.substring(start, i), start));
                    continue;
                }
            }
            i += (c == '=' || c == '!') && twoChar ? 2 : 1;
        }
        out.add(new Token(Kind.END, "", s.length()));
        return out;
    }

    private static boolean isWordChar(char c) {
        return !Character.isWhitespace(c) && ",=!()".indexOf(c) < 0;
    }
}
