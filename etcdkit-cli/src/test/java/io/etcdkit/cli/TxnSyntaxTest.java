package io.etcdkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.Bytes;
import io.etcdkit.kv.Compare;
import io.etcdkit.kv.Delete;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.Range;
import org.junit.jupiter.api.Test;

/** The txn expression syntax: what parses to which compare or operation, and what each mistake says. */
class TxnSyntaxTest {

    @Test
    void comparesOfEveryTarget() {
        assertThat(TxnSyntax.compare("value(config/mode) = fast")).isEqualTo(Compare.value("config/mode")
                .equalTo("fast"));
        assertThat(TxnSyntax.compare("value(k)=hello world")).isEqualTo(Compare.value("k").equalTo("hello world"));
        assertThat(TxnSyntax.compare("value(k) != \"\"")).isEqualTo(Compare.value("k").notEqualTo(""));
        assertThat(TxnSyntax.compare("value(k) > b")).isEqualTo(Compare.value("k").greaterThan(Bytes.of("b")));
        assertThat(TxnSyntax.compare("version(k)=0")).isEqualTo(Compare.version("k").equalTo(0));
        assertThat(TxnSyntax.compare("version(k) == 3")).isEqualTo(Compare.version("k").equalTo(3));
        assertThat(TxnSyntax.compare("create(k) > 0")).isEqualTo(Compare.createRevision("k").greaterThan(0));
        assertThat(TxnSyntax.compare("mod(k) < 42")).isEqualTo(Compare.modRevision("k").lessThan(42));
        assertThat(TxnSyntax.compare("lease(k) = 694d77aa9e38260f"))
                .isEqualTo(Compare.lease("k").equalTo(0x694d77aa9e38260fL));
        assertThat(TxnSyntax.compare("exists(k)")).isEqualTo(Compare.exists("k"));
        assertThat(TxnSyntax.compare(" absent( k ) ")).isEqualTo(Compare.absent("k"));
        assertThat(TxnSyntax.compare("value(\"a key)\") = \" padded \"")).isEqualTo(Compare.value("a key)")
                .equalTo(" padded "));
        assertThat(TxnSyntax.compare("VALUE(k) = \"say \\\"hi\\\"\"")).isEqualTo(Compare.value("k")
                .equalTo("say \"hi\""));
    }

    @Test
    void operations() {
        TxnSyntax.Operation put = TxnSyntax.operation("put k some value", "--then");
        assertThat(put.op()).usingRecursiveComparison().isEqualTo(Put.of("k", "some value"));
        assertThat(put.describe()).isEqualTo("put k");
        assertThat(TxnSyntax.operation("put \"a b\" \"\"", "--then").op()).usingRecursiveComparison()
                .isEqualTo(Put.of("a b", ""));
        assertThat(TxnSyntax.operation("del k", "--then").op()).usingRecursiveComparison()
                .isEqualTo(Delete.key("k"));
        TxnSyntax.Operation delPrefix = TxnSyntax.operation("del --prefix jobs/", "--else");
        assertThat(delPrefix.op()).usingRecursiveComparison().isEqualTo(Delete.prefix("jobs/"));
        assertThat(delPrefix.describe()).isEqualTo("del --prefix jobs/");
        assertThat(TxnSyntax.operation("get k", "--else").op()).usingRecursiveComparison()
                .isEqualTo(Range.key("k"));
        assertThat(TxnSyntax.operation("GET --prefix p/", "--else").op()).usingRecursiveComparison()
                .isEqualTo(Range.prefix("p/"));
    }

    @Test
    void badComparesSayWhatWasExpected() {
        assertUsage(() -> TxnSyntax.compare("value(k)~v"), "--if 'value(k)~v': expected an operator at '~v'");
        assertUsage(() -> TxnSyntax.compare("size(k) = 1"), "unknown target 'size'");
        assertUsage(() -> TxnSyntax.compare("value(k) ="), "the value is missing");
        assertUsage(() -> TxnSyntax.compare("value(k"), "expected ')'");
        assertUsage(() -> TxnSyntax.compare("version(k) = one"), "'one' is not a whole number");
        assertUsage(() -> TxnSyntax.compare("lease(k) = xyz"), "not a lease id in hex");
        assertUsage(() -> TxnSyntax.compare("exists(k) = 1"), "unexpected '= 1'");
        assertUsage(() -> TxnSyntax.compare("value(k) = \"open"), "a double quote is not closed");
        assertUsage(() -> TxnSyntax.compare(""), "it is incomplete");
        assertThatThrownBy(() -> TxnSyntax.compare("value(k)~v")).hasMessageContaining(TxnSyntax.COMPARE_FORM);
    }

    @Test
    void badOperationsSayWhatWasExpected() {
        assertUsage(() -> TxnSyntax.operation("puts k v", "--then"), "--then 'puts k v': unknown operation 'puts'");
        assertUsage(() -> TxnSyntax.operation("put k", "--then"), "put needs a value after the key");
        assertUsage(() -> TxnSyntax.operation("del a b", "--else"), "unexpected 'b'");
        assertUsage(() -> TxnSyntax.operation("del --prefix \"\"", "--else"), "empty prefix would delete every key");
        assertThatThrownBy(() -> TxnSyntax.operation("x", "--then")).hasMessageContaining(TxnSyntax.OPERATION_FORM);
    }

    private static void assertUsage(Runnable parse, String message) {
        assertThatThrownBy(parse::run).isInstanceOfSatisfying(CliException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(e.getMessage()).contains(message).doesNotContain("\n");
        });
    }
}
