package io.etcdkit.jackson;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The Jackson module is named and the client module it builds on does not read Jackson itself. */
class ModuleBoundaryTest {
    @Test
    void jacksonCodecsAreInTheirOwnModule() {
        Module module = JacksonCodecs.class.getModule();
        assertThat(module.getName()).isEqualTo("io.etcdkit.jackson");
        assertThat(module.getDescriptor().exports()).hasSize(1);
        Module client = io.etcdkit.codec.ValueCodec.class.getModule();
        assertThat(client.getName()).isEqualTo("io.etcdkit");
        assertThat(client.canRead(com.fasterxml.jackson.databind.ObjectMapper.class.getModule())).isFalse();
    }
}
