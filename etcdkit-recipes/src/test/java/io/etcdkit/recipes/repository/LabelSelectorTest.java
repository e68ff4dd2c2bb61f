package io.etcdkit.recipes.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.InvalidArgumentException;
import io.etcdkit.recipes.repository.LabelRequirement.Operator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parsing and matching of label selectors; no etcd needed. */
class LabelSelectorTest {

    private static LabelRequirement req(String key, Operator op, String... values) {
        return new LabelRequirement(key, op, Set.of(values));
    }

    @Test
    void everyOperatorParses() {
        assertThat(LabelSelector.parse("a=b").requirements()).containsExactly(req("a", Operator.EQUALS, "b"));
        assertThat(LabelSelector.parse("a==b").requirements()).containsExactly(req("a", Operator.EQUALS, "b"));
        assertThat(LabelSelector.parse("a!=b").requirements()).containsExactly(req("a", Operator.NOT_EQUALS, "b"));
        assertThat(LabelSelector.parse("a in (x,y)").requirements())
                .containsExactly(req("a", Operator.IN, "x", "y"));
        assertThat(LabelSelector.parse("a notin (x)").requirements())
                .containsExactly(req("a", Operator.NOT_IN, "x"));
        assertThat(LabelSelector.parse("a").requirements()).containsExactly(req("a", Operator.EXISTS));
        assertThat(LabelSelector.parse("!a").requirements()).containsExactly(req("a", Operator.DOES_NOT_EXIST));
    }

    @Test
    void commasMakeAConjunctionInWrittenOrder() {
        LabelSelector s = LabelSelector.parse("env=prod,tier in (web,cache),!canary,zone,app!=legacy");
        assertThat(s.requirements()).containsExactly(
                req("env", Operator.EQUALS, "prod"),
                req("tier", Operator.IN, "web", "cache"),
                req("canary", Operator.DOES_NOT_EXIST),
                req("zone", Operator.EXISTS),
                req("app", Operator.NOT_EQUALS, "legacy"));
    }

    @Test
    void whitespaceAroundTokensIsIgnoredAndKeywordsNeedNoSpaceBeforeTheParenthesis() {
        assertThat(LabelSelector.parse("  a = b ,  c notin(x , y) , ! d  "))
                .isEqualTo(LabelSelector.parse("a=b,c notin (x,y),!d"));
        assertThat(LabelSelector.parse("a in(x)")).isEqualTo(LabelSelector.parse("a in (x)"));
    }

    @Test
    void emptyAndBlankSelectEverything() {
        assertThat(LabelSelector.parse("").isEverything()).isTrue();
        assertThat(LabelSelector.parse("   ").isEverything()).isTrue();
        assertThat(LabelSelector.parse("").matches(Map.of())).isTrue();
        assertThat(LabelSelector.everything().toString()).isEmpty();
    }

    @Test
    void anEqualityWithoutValueMeansTheEmptyValue() {
        assertThat(LabelSelector.parse("a=").requirements()).containsExactly(req("a", Operator.EQUALS, ""));
        assertThat(LabelSelector.parse("a!=,b").requirements())
                .containsExactly(req("a", Operator.NOT_EQUALS, ""), req("b", Operator.EXISTS));
        assertThat(LabelSelector.parse("a=").matches(Map.of("a", ""))).isTrue();
        assertThat(LabelSelector.parse("a=").matches(Map.of("a", "x"))).isFalse();
    }

    @Test
    void prefixedKeysAndDottedValuesAreAccepted() {
        LabelSelector s = LabelSelector.parse("app.example.com/tier=web-1.2_x");
        assertThat(s.requirements()).containsExactly(req("app.example.com/tier", Operator.EQUALS, "web-1.2_x"));
    }

    @Test
    void matchingFollowsKubernetesSemantics() {
        Map<String, String> prodWeb = Map.of("env", "prod", "tier", "web");
        Map<String, String> none = Map.of();
        assertThat(LabelSelector.parse("env=prod").matches(prodWeb)).isTrue();
        assertThat(LabelSelector.parse("env=dev").matches(prodWeb)).isFalse();
        assertThat(LabelSelector.parse("env=prod").matches(none)).isFalse();
        // != and notin also match resources without the label
        assertThat(LabelSelector.parse("env!=dev").matches(prodWeb)).isTrue();
        assertThat(LabelSelector.parse("env!=prod").matches(prodWeb)).isFalse();
        assertThat(LabelSelector.parse("env!=prod").matches(none)).isTrue();
        assertThat(LabelSelector.parse("tier in (web,cache)").matches(prodWeb)).isTrue();
        assertThat(LabelSelector.parse("tier in (cache)").matches(prodWeb)).isFalse();
        assertThat(LabelSelector.parse("tier in (web)").matches(none)).isFalse();
        assertThat(LabelSelector.parse("tier notin (web)").matches(prodWeb)).isFalse();
        assertThat(LabelSelector.parse("tier notin (batch)").matches(prodWeb)).isTrue();
        assertThat(LabelSelector.parse("tier notin (web)").matches(none)).isTrue();
        assertThat(LabelSelector.parse("env").matches(prodWeb)).isTrue();
        assertThat(LabelSelector.parse("env").matches(none)).isFalse();
        assertThat(LabelSelector.parse("!env").matches(prodWeb)).isFalse();
        assertThat(LabelSelector.parse("!env").matches(none)).isTrue();
        assertThat(LabelSelector.parse("env=prod,tier=web").matches(prodWeb)).isTrue();
        assertThat(LabelSelector.parse("env=prod,tier=db").matches(prodWeb)).isFalse();
    }

    @Test
    void toStringIsCanonicalAndParsesBackToTheSameSelector() {
        LabelSelector s = LabelSelector.parse(" b in (z, y) ,a==x, !c, d, e notin (q), f!=g");
        assertThat(s.toString()).isEqualTo("b in (y,z),a=x,!c,d,e notin (q),f!=g");
        assertThat(LabelSelector.parse(s.toString())).isEqualTo(s);
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" fails at {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            ,               | 0  | expected a label key or '!', found ','
            a,              | 2  | expected a label key or '!' after ',', found the end
            a,,b            | 2  | expected a label key or '!' after ',', found ','
            !               | 1  | expected a label key after '!', found the end
            !!a             | 1  | expected a label key after '!', found '!'
            =b              | 0  | expected a label key or '!', found '='
            a b             | 2  | expected '=', '==', '!=', 'in', 'notin', ',' or the end after label key 'a', found 'b'
            a=b=c           | 3  | expected ',' or the end after 'a=b', found '='
            a=b c           | 4  | expected ',' or the end after 'a=b', found 'c'
            !a=b            | 2  | expected ',' or the end after '!a', found '='
            a===b           | 3  | expected a value after '==', found '='
            a=(b)           | 2  | expected a value after '=', found '('
            a in x          | 5  | expected '(' after 'in', found 'x'
            a in            | 4  | expected '(' after 'in', found the end
            a in ()         | 6  | expected a value after '(', found ')'
            a in (x         | 7  | expected ',' or ')' in the value list of 'in', found the end
            a notin (x,)    | 11 | expected a value after ',', found ')'
            a in (x y)      | 8  | expected ',' or ')' in the value list of 'in', found 'y'
            a in (x)(       | 8  | expected ',' or the end after 'a in (x)', found '('
            a)              | 1  | expected '=', '==', '!=', 'in', 'notin', ',' or the end after label key 'a', found ')'
            """)
    void badSyntaxSaysWhereAndWhatWasExpected(String selector, int position, String expected) {
        assertThatThrownBy(() -> LabelSelector.parse(selector))
                .isInstanceOfSatisfying(InvalidSelectorException.class, e -> {
                    assertThat(e.position()).isEqualTo(position);
                    assertThat(e.selector()).isEqualTo(selector);
                    assertThat(e.getMessage()).contains("at position " + position + ": " + expected);
                })
                .isInstanceOf(InvalidArgumentException.class);
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" fails at {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            -a=b                    | 0  | the name '-a' of label key '-a'
            a_=b                    | 0  | the name 'a_' of label key 'a_'
            Example.com/a=b         | 0  | the prefix 'Example.com' of label key 'Example.com/a'
            /a=b                    | 0  | the prefix '' of label key '/a'
            ex.com/=b               | 0  | the name '' of label key 'ex.com/'
            a=-b                    | 2  | the label value '-b'
            a in (ok,b@d)           | 9  | the label value 'b@d'
            !bad*key                | 1  | the name 'bad*key' of label key 'bad*key'
            """)
    void invalidKeysAndValuesSayWhichAndWhere(String selector, int position, String problem) {
        assertThatThrownBy(() -> LabelSelector.parse(selector))
                .isInstanceOfSatisfying(InvalidSelectorException.class, e -> {
                    assertThat(e.position()).isEqualTo(position);
                    assertThat(e.getMessage()).contains("at position " + position + ": " + problem);
                });
    }

    @Test
    void overlongNamesAndValuesAreRefused() {
        String longName = "k".repeat(64);
        assertThatThrownBy(() -> LabelSelector.parse(longName + "=v"))
                .isInstanceOf(InvalidSelectorException.class).hasMessageContaining("1 to 63 characters");
        assertThatThrownBy(() -> LabelSelector.parse("k=" + "v".repeat(64)))
                .isInstanceOf(InvalidSelectorException.class).hasMessageContaining("position 2");
        assertThat(LabelSelector.parse("k".repeat(63) + "=" + "v".repeat(63)).requirements()).hasSize(1);
    }

    @Test
    void requirementsCheckTheirNumberOfValues() {
        assertThatThrownBy(() -> new LabelRequirement("a", Operator.IN, Set.of()))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("at least one value");
        assertThatThrownBy(() -> new LabelRequirement("a", Operator.EQUALS, Set.of("x", "y")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("exactly one value");
        assertThat(LabelSelector.of(List.of(req("a", Operator.EXISTS))).matches(Map.of("a", "1"))).isTrue();
    }

    @Test
    void labelsOfResourcesAreCheckedBeforeWriting() {
        LabelRules.check(Map.of("env", "prod", "example.com/tier", ""), "r1", Map::of);
        assertThatThrownBy(() -> LabelRules.check(Map.of("env", "a b"), "r1", Map::of))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("resource 'r1' has an invalid label: the label value 'a b'");
    }
}
