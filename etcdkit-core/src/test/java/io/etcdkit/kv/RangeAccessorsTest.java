package io.etcdkit.kv;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.Bytes;
import org.junit.jupiter.api.Test;

/** Range and Delete say "absent" with an empty Optional, never null. */
class RangeAccessorsTest {
    @Test
    void aSingleKeyHasNoEndAndNoSort() {
        Range r = Range.key("a");
        assertThat(r.end()).isEmpty();
        assertThat(r.sortTarget()).isEmpty();
        assertThat(r.sortOrder()).isEmpty();
        assertThat(Delete.key("a").end()).isEmpty();
    }

    @Test
    void aPrefixHasItsEndAndASortedReadItsSort() {
        Range r = Range.prefix("a/").sortBy(SortTarget.MOD_REVISION, SortOrder.DESCEND);
        assertThat(r.end()).contains(Bytes.of("a0"));
        assertThat(r.sortTarget()).contains(SortTarget.MOD_REVISION);
        assertThat(r.sortOrder()).contains(SortOrder.DESCEND);
        assertThat(Delete.prefix("a/").end()).contains(Bytes.of("a0"));
    }
}
