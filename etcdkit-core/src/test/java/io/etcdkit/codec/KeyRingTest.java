package io.etcdkit.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.InvalidConfigurationException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Named keys with one current. */
class KeyRingTest {
    private final EncryptionKey k1 = EncryptionKey.generate();
    private final EncryptionKey k2 = EncryptionKey.generate();

    @Test
    void singleKeyIsCurrent() {
        KeyRing ring = KeyRing.of("k1", k1);
        assertThat(ring.currentKeyId()).isEqualTo("k1");
        assertThat(ring.keyIds()).containsExactly("k1");
        assertThat(ring.contains("k1")).isTrue();
        assertThat(ring.contains("k2")).isFalse();
    }

    @Test
    void derivationsReturnNewRings() {
        KeyRing one = KeyRing.of("k1", k1);
        KeyRing two = one.withKey("k2", k2);
        KeyRing rotated = two.withCurrent("k2");
        KeyRing retired = rotated.withoutKey("k1");
        assertThat(one.keyIds()).containsExactly("k1");
        assertThat(two.keyIds()).containsExactly("k1", "k2");
        assertThat(two.currentKeyId()).isEqualTo("k1");
        assertThat(rotated.currentKeyId()).isEqualTo("k2");
        assertThat(retired.keyIds()).containsExactly("k2");
        assertThat(KeyRing.of(Map.of("k1", k1, "k2", k2), "k2").currentKeyId()).isEqualTo("k2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "tab\t", "naïve",
        "x12345678901234567890123456789012345678901234567890123456789012345"})
    void invalidIdsAreConfigurationErrors(String id) {
        assertThatThrownBy(() -> KeyRing.of(id, k1))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("invalid key id");
    }

    @Test
    void currentMustBeInTheRing() {
        assertThatThrownBy(() -> KeyRing.of(Map.of("k1", k1), "k3"))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("current key id 'k3' is not in the key ring, which holds [k1]");
        assertThatThrownBy(() -> KeyRing.of("k1", k1).withCurrent("k3"))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("add it first");
        assertThatThrownBy(() -> KeyRing.of(Map.of(), "k1")).isInstanceOf(InvalidConfigurationException.class);
    }

    @Test
    void anIdCannotBeReassignedToAnotherKey() {
        assertThatThrownBy(() -> KeyRing.of("k1", k1).withKey("k1", k2))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("names one key forever");
    }

    @Test
    void theCurrentKeyCannotBeRemoved() {
        assertThatThrownBy(() -> KeyRing.of("k1", k1).withKey("k2", k2).withoutKey("k1"))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("it is the current key");
    }

    @Test
    void toStringShowsIdsButNoKeyMaterial() {
        KeyRing ring = KeyRing.of("k1", k1).withKey("k2", k2);
        assertThat(ring.toString())
                .isEqualTo("KeyRing[current=k1, ids=[k1, k2]]")
                .doesNotContain(k1.toBase64())
                .doesNotContain(k2.toBase64());
    }
}
