package io.etcdkit.examples;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The rules that keep the guides' {@code ```java} blocks honest (see docs/README.md, "Code in the guides").
 *
 * <p>A block <b>quotes an example</b> when the text between the previous code block (or heading) and the block
 * links it as {@code From [`X`](../examples/src/.../X.java)} (or {@code (from [`X`](...))}). Then: every
 * {@code import} line of the block is an import of X; every type X imports and the block names is imported by the
 * block; every code line of the block (trailing comments and whitespace aside) is a line of X. Comment lines are
 * the guide's annotations and elision lines (starting with {@code ...} or {@code // ...}) stand for left-out
 * code; neither is checked.
 *
 * <p>Any other block must be marked, on the line just before its fence, with
 * {@code <!-- snippet: compiles -->} or {@code <!-- snippet: compiles, given: Type name; Type name -->}, and
 * must compile as written: its imports on top of a class, its declarations (a block starting with a type or
 * method declaration) as the class's members, else its statements as a method body; the names after
 * {@code given:} are static fields of that class (what the surrounding prose says the reader already has).
 */
final class DocSnippets {
    static final String MARKER = "<!-- snippet: compiles";
    private static final Pattern FROM = Pattern.compile("(?i)From \\[`(\\w+)`\\]\\(([^)]+\\.java)\\)");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.]+)(\\.\\*)?\\s*;$");
    private static final Pattern MEMBER_START = Pattern.compile(
            "^(@\\w+|(public |protected |private |static |final |abstract |sealed )*(class|record|interface|enum) "
                    + "|(public |protected |private |static |final )+[\\w<>\\[\\], ?]+ \\w+\\().*");

    /** One {@code ```java} block. */
    record Block(Path doc, int line, List<String> lines, Path example, String given, boolean marked) {
        String where() {
            return doc.getFileName() + ":" + line;
        }
    }

    private DocSnippets() {
    }

    /** The java blocks of {@code doc}, with what each quotes or how it is marked. */
    static List<Block> blocks(Path doc) throws IOException {
        List<String> lines = Files.readAllLines(doc);
        List<Block> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).strip().equals("```java")) {
                continue;
            }
            int end = i + 1;
            while (end < lines.size() && !lines.get(end).strip().equals("```")) {
                end++;
            }
            Path example = null;
            for (int k = i - 1; k >= 0; k--) {
                String text = lines.get(k);
                if (text.strip().startsWith("```") || text.startsWith("#")) {
                    break;
                }
                Matcher m = FROM.matcher(text);
                if (m.find()) {
                    example = doc.getParent().resolve(m.group(2)).normalize();
                    break;
                }
            }
            String previous = i > 0 ? lines.get(i - 1).strip() : "";
            boolean marked = previous.startsWith(MARKER) && previous.endsWith("-->");
            String given = "";
            if (marked) {
                int at = previous.indexOf("given:");
                given = at < 0 ? "" : previous.substring(at + "given:".length(), previous.length() - 3).strip();
            }
            out.add(new Block(doc, i + 1, List.copyOf(lines.subList(i + 1, end)), example, given, marked));
            i = end;
        }
        return out;
    }

    /** What is wrong with {@code block} as a quote of its example, or with its marking; empty when nothing is. */
    static List<String> quoteProblems(Block block) throws IOException {
        List<String> problems = new ArrayList<>();
        if (block.example() == null) {
            if (!block.marked()) {
                problems.add(block.where() + ": quotes no example (no \"From [`X`](path)\" before it) and is not"
                        + " marked \"" + MARKER + " -->\"");
            }
            return problems;
        }
        if (!Files.isRegularFile(block.example())) {
            problems.add(block.where() + ": the quoted example " + block.example() + " does not exist");
            return problems;
        }
        List<String> source = Files.readAllLines(block.example());
        Set<String> sourceLines = new HashSet<>();
        Set<String> sourceImports = new LinkedHashSet<>();
        for (String s : source) {
            String code = normalise(s);
            sourceLines.add(code);
            if (IMPORT.matcher(code).matches()) {
                sourceImports.add(code);
            }
        }
        Set<String> blockImports = new HashSet<>();
        StringBuilder body = new StringBuilder();
        for (String raw : block.lines()) {
            String code = normalise(raw);
            if (code.isEmpty() || isElision(code) || code.startsWith("//")) {
                continue; // comments are the guide's annotations, not code
            }
            if (IMPORT.matcher(code).matches()) {
                blockImports.add(code);
                if (!sourceImports.contains(code)) {
                    problems.add(block.where() + ": `" + code + "` is not an import of "
                            + block.example().getFileName());
                }
            } else {
                body.append(code).append('\n');
                if (!sourceLines.contains(code)) {
                    problems.add(block.where() + ": `" + code + "` is not a line of " + block.example().getFileName());
                }
            }
        }
        for (String imp : sourceImports) {
            Matcher m = IMPORT.matcher(imp);
            if (m.matches() && m.group(3) == null) {
                String name = m.group(2).substring(m.group(2).lastIndexOf('.') + 1);
                if (Pattern.compile("\\b" + Pattern.quote(name) + "\\b").matcher(body).find()
                        && !blockImports.contains(imp)) {
                    problems.add(block.where() + ": uses " + name + " but does not show `" + imp + "`");
                }
            }
        }
        return problems;
    }

    /** Compiles the marked blocks; the compiler's errors, each prefixed with its block's place. */
    static List<String> compileProblems(List<Block> marked, Path outputDir) throws IOException {
        List<JavaFileObject> units = new ArrayList<>();
        List<Block> byUnit = new ArrayList<>();
        for (Block block : marked) {
            String name = "Snippet" + byUnit.size();
            units.add(new Source(name, wrap(name, block)));
            byUnit.add(block);
        }
        if (units.isEmpty()) {
            return List.of();
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            List<String> options = List.of("-proc:none", "-d", outputDir.toString(),
                    "-classpath", System.getProperty("java.class.path"));
            javac.getTask(new StringWriter(), files, diagnostics, options, null, units).call();
        }
        List<String> problems = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                String unit = d.getSource() == null ? "?" : d.getSource().getName();
                int index = Integer.parseInt(unit.replaceAll("\\D", ""));
                problems.add(byUnit.get(index).where() + " does not compile: " + d.getMessage(Locale.ROOT)
                        + " (in `" + lineOf(d) + "`)");
            }
        }
        return problems;
    }

    /** The marked block as a compilation unit: imports, then a class with the givens, members or a method. */
    static String wrap(String className, Block block) {
        StringBuilder imports = new StringBuilder();
        StringBuilder code = new StringBuilder();
        boolean members = false;
        boolean first = true;
        for (String raw : block.lines()) {
            String s = raw.strip();
            if (IMPORT.matcher(s).matches()) {
                imports.append(s).append('\n');
                continue;
            }
            if (isElision(s)) {
                continue;
            }
            if (first && !s.isEmpty() && !s.startsWith("//")) {
                members = MEMBER_START.matcher(s).matches();
                first = false;
            }
            code.append(raw).append('\n');
        }
        StringBuilder unit = new StringBuilder(imports).append("class ").append(className).append(" {\n");
        int depth = 0;
        StringBuilder given = new StringBuilder();
        for (char c : (block.given() + ";").toCharArray()) { // declarations end at a ';' outside braces
            depth += c == '{' ? 1 : c == '}' ? -1 : 0;
            if (c == ';' && depth == 0) {
                if (!given.toString().isBlank()) {
                    String declaration = given.toString().strip();
                    unit.append("    static ").append(declaration).append(declaration.endsWith("}") ? "\n" : ";\n");
                }
                given.setLength(0);
            } else {
                given.append(c);
            }
        }
        if (members) {
            unit.append(code);
        } else {
            unit.append("    static void snippet() throws Exception {\n").append(code).append("    }\n");
        }
        return unit.append("}\n").toString();
    }

    private static String lineOf(Diagnostic<? extends JavaFileObject> d) {
        try {
            String[] lines = d.getSource().getCharContent(true).toString().split("\n", -1);
            long n = d.getLineNumber();
            return n >= 1 && n <= lines.length ? lines[(int) n - 1].strip() : "?";
        } catch (IOException e) {
            return "?";
        }
    }

    /** Trimmed, inner runs of whitespace as one space, without a trailing {@code //} comment. */
    static String normalise(String line) {
        String s = line.strip().replaceAll("\\s+", " ");
        if (s.startsWith("//")) {
            return s;
        }
        boolean inString = false;
        for (int i = 0; i + 1 < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && inString) {
                i++;
            } else if (c == '"') {
                inString = !inString;
            } else if (!inString && c == '/' && s.charAt(i + 1) == '/') {
                return s.substring(0, i).strip();
            }
        }
        return s;
    }

    private static boolean isElision(String code) {
        return code.startsWith("...") || code.startsWith("// ...");
    }

    /** A compilation unit held in memory. */
    private static final class Source extends SimpleJavaFileObject {
        private final String code;

        Source(String className, String code) {
            super(URI.create("string:///" + className + ".java"), Kind.SOURCE);
            this.code = code;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }
    }
}
