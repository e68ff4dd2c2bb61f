package io.etcdkit.recipes.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The copy-on-write bucket map behind cache snapshots behaves like a map, and old versions never change. */
class SnapshotMapTest {

    @Test
    void randomEditsMatchAHashMapAndLeaveEveryOlderVersionIntact() {
        Random random = new Random(7);
        SnapshotMap<Integer> current = SnapshotMap.empty();
        Map<String, Integer> model = new HashMap<>();
        List<SnapshotMap<Integer>> versions = new ArrayList<>();
        List<Map<String, Integer>> models = new ArrayList<>();
        for (int round = 0; round < 400; round++) {
            SnapshotMap.Editor<Integer> editor = current.edit();
            int changes = 1 + random.nextInt(round < 200 ? 200 : 20); // grow, then churn
            for (int i = 0; i < changes; i++) {
                String key = "k" + random.nextInt(round < 300 ? 20_000 : 300); // and finally shrink
                if (random.nextInt(round < 300 ? 4 : 2) == 0) {
                    assertThat(editor.remove(key)).isEqualTo(model.remove(key));
                } else {
                    int value = random.nextInt();
                    editor.put(key, value);
                    model.put(key, value);
                }
            }
            current = editor.build();
            if (round % 40 == 0) {
                versions.add(current);
                models.add(new HashMap<>(model));
            }
            assertThat(current.size()).isEqualTo(model.size());
        }
        assertThat(current).isEqualTo(model);
        for (int i = 0; i < versions.size(); i++) {
            assertThat(versions.get(i)).as("version %d", i).isEqualTo(models.get(i));
            for (Map.Entry<String, Integer> e : models.get(i).entrySet()) {
                assertThat(versions.get(i).get(e.getKey())).isEqualTo(e.getValue());
            }
        }
    }

    @Test
    void anEditorThatChangesNothingReturnsItsBase() {
        SnapshotMap<String> one = SnapshotMap.copyOf(Map.of("a", "1"));
        SnapshotMap.Editor<String> editor = one.edit();
        assertThat(editor.remove("absent")).isNull();
        assertThat(editor.changed()).isFalse();
        assertThat(editor.build()).isSameAs(one);
    }

    @Test
    void bucketsGrowWithTheSquareRootOfTheSize() {
        assertThat(SnapshotMap.bucketsFor(0)).isEqualTo(16);
        assertThat(SnapshotMap.bucketsFor(100_000)).isEqualTo(256);
        assertThat(SnapshotMap.bucketsFor(1_000_000)).isEqualTo(512);
    }

    @Test
    void viewsAreReadOnly() {
        SnapshotMap<String> map = SnapshotMap.copyOf(Map.of("a", "1"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> map.put("b", "2"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(map.containsKey("a")).isTrue();
        assertThat(map.containsKey(42)).isFalse();
        assertThat(map.get(42)).isNull();
    }
}
