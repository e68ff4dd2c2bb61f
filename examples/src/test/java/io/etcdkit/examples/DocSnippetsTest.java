package io.etcdkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the guides' code honest: every {@code ```java} block of docs/*.md either quotes its example program
 * line for line with the example's imports, or is marked as not from an example and compiles (rules in
 * {@link DocSnippets}). No etcd needed.
 */
class DocSnippetsTest {
    static Path docs() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("docs"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("a docs/ directory above " + Path.of("").toAbsolutePath()).isNotNull();
        return dir.resolve("docs");
    }

    static List<DocSnippets.Block> allBlocks() throws IOException {
        List<DocSnippets.Block> blocks = new ArrayList<>();
        try (Stream<Path> files = Files.list(docs())) {
            for (Path doc : files.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                blocks.addAll(DocSnippets.blocks(doc));
            }
        }
        return blocks;
    }

    @Test
    void everyGuideBlockQuotesItsExampleWithItsImportsOrIsMarkedAndCompiles(@TempDir Path classes) throws Exception {
        List<DocSnippets.Block> blocks = allBlocks();
        assertThat(blocks).hasSizeGreaterThan(40);
        List<String> problems = new ArrayList<>();
        List<DocSnippets.Block> marked = new ArrayList<>();
        for (DocSnippets.Block block : blocks) {
            problems.addAll(DocSnippets.quoteProblems(block));
            if (block.example() == null && block.marked()) {
                marked.add(block);
            }
        }
        problems.addAll(DocSnippets.compileProblems(marked, classes));
        assertThat(problems).as("problems in the guides' java blocks").isEmpty();
        assertThat(blocks).filteredOn(b -> b.example() != null).hasSizeGreaterThan(20)
                .allSatisfy(b -> assertThat(b.lines()).as(b.where() + " shows its imports")
                        .anySatisfy(line -> assertThat(line).startsWith("import ")));
    }

    /** The checks on deliberately broken copies of real blocks: each drift must be reported. */
    @Test
    void aDriftedSnippetIsReported(@TempDir Path classes) throws Exception {
        DocSnippets.Block quote = allBlocks().stream()
                .filter(b -> b.example() != null && b.example().endsWith("ConfigValueExample.java"))
                .findFirst().orElseThrow();
        assertThat(DocSnippets.quoteProblems(quote)).isEmpty();

        List<String> changedLine = new ArrayList<>(quote.lines());
        int code = indexOf(changedLine, "AppConfig defaults = new AppConfig(\"safe\", 1);");
        changedLine.set(code, changedLine.get(code).replace("\"safe\"", "\"fast\""));
        assertThat(DocSnippets.quoteProblems(copy(quote, changedLine)))
                .singleElement().asString().contains("is not a line of ConfigValueExample.java");

        List<String> foreignImport = new ArrayList<>(quote.lines());
        foreignImport.add(0, "import java.util.concurrent.Executors;");
        assertThat(DocSnippets.quoteProblems(copy(quote, foreignImport)))
                .singleElement().asString().contains("is not an import of ConfigValueExample.java");

        List<String> missingImport = new ArrayList<>(quote.lines());
        missingImport.remove(indexOf(missingImport, "import io.etcdkit.jackson.JacksonCodecs;"));
        assertThat(DocSnippets.quoteProblems(copy(quote, missingImport)))
                .singleElement().asString().contains("uses JacksonCodecs but does not show");

        List<String> elided = new ArrayList<>(quote.lines());
        elided.add(code, "    // ... and more");
        elided.add(code, "...");
        assertThat(DocSnippets.quoteProblems(copy(quote, elided))).isEmpty();

        DocSnippets.Block unmarked = new DocSnippets.Block(quote.doc(), 1, List.of("int x = 1;"), null, "", false);
        assertThat(DocSnippets.quoteProblems(unmarked)).singleElement().asString().contains("is not marked");

        DocSnippets.Block compiles = new DocSnippets.Block(quote.doc(), 2, List.of(
                "import io.etcdkit.kv.Put;", "client.kv().put(Put.of(\"k\", \"v\"));"), null,
                "io.etcdkit.EtcdClient client", true);
        DocSnippets.Block noImport = new DocSnippets.Block(quote.doc(), 3, List.of(
                "client.kv().put(Put.of(\"k\", \"v\"));"), null, "io.etcdkit.EtcdClient client", true);
        DocSnippets.Block wrongCall = new DocSnippets.Block(quote.doc(), 4, List.of(
                "import io.etcdkit.EtcdClient;", "static void f(EtcdClient client) { client.kv().putt(\"k\", \"v\"); }"),
                null, "", true);
        assertThat(DocSnippets.compileProblems(List.of(compiles, noImport, wrongCall), classes))
                .hasSize(2)
                .anySatisfy(p -> assertThat(p).startsWith(quote.doc().getFileName() + ":3 does not compile"))
                .anySatisfy(p -> assertThat(p).startsWith(quote.doc().getFileName() + ":4 does not compile"));
    }

    /** A block indented inside a list item (two spaces, marker included) is found, marked and compiled. */
    @Test
    void aBlockInsideAListItemIsCheckedToo(@TempDir Path dir) throws Exception {
        Path doc = Files.writeString(dir.resolve("guide.md"), String.join("\n",
                "- `put` writes:", "",
                "  <!-- snippet: compiles, given: io.etcdkit.EtcdClient client -->",
                "  ```java",
                "  import io.etcdkit.kv.Put;", "",
                "  client.kv().put(Put.of(\"k\", \"v\"));",
                "  ```",
                "- `putt` does not exist:", "",
                "  <!-- snippet: compiles, given: io.etcdkit.EtcdClient client -->",
                "  ```java",
                "  client.kv().putt(\"k\", \"v\");",
                "  ```", ""));
        List<DocSnippets.Block> blocks = DocSnippets.blocks(doc);
        assertThat(blocks).hasSize(2).allSatisfy(b -> {
            assertThat(b.marked()).isTrue();
            assertThat(b.given()).isEqualTo("io.etcdkit.EtcdClient client");
            assertThat(DocSnippets.quoteProblems(b)).isEmpty();
        });
        assertThat(blocks.get(0).lines()).contains("  client.kv().put(Put.of(\"k\", \"v\"));");
        Files.createDirectories(dir.resolve("classes"));
        assertThat(DocSnippets.compileProblems(blocks, dir.resolve("classes")))
                .singleElement().asString().startsWith("guide.md:12 does not compile");
    }

    private static int indexOf(List<String> lines, String stripped) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals(stripped)) {
                return i;
            }
        }
        throw new AssertionError("no line " + stripped);
    }

    private static DocSnippets.Block copy(DocSnippets.Block block, List<String> lines) {
        return new DocSnippets.Block(block.doc(), block.line(), lines, block.example(), block.given(), block.marked());
    }
}
