package io.etcdkit.cli;

import io.etcdkit.KeyValue;

/**
 * A key as printed in JSON: text key and value (UTF-8; bytes that are not UTF-8 become U+FFFD), its revisions,
 * version and lease (hex, as etcdctl prints it; left out when none). The value is left out for keys-only reads.
 */
record KeyValueView(String key, String value, long createRevision, long modRevision, long version, String lease) {

    static KeyValueView of(KeyValue kv) {
        return new KeyValueView(kv.keyAsString(), kv.valueAsString(), kv.createRevision(), kv.modRevision(),
                kv.version(), LeaseIdConverter.formatOrNull(kv.lease()));
    }

    /** Without the value (for keys-only reads, whose values are empty). */
    static KeyValueView keyOnly(KeyValue kv) {
        return new KeyValueView(kv.keyAsString(), null, kv.createRevision(), kv.modRevision(), kv.version(),
                LeaseIdConverter.formatOrNull(kv.lease()));
    }
}
