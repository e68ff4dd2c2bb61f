package io.etcdkit.recipes.election;

import io.etcdkit.Bytes;

/**
 * A leader of an election as etcd stores it.
 *
 * @param key the leader's candidacy key ({@code name/<lease id in hex>})
 * @param value the value the leader proclaimed (for example its address)
 * @param revision the key's create revision: identifies this leadership and grows with each new one, so it serves
 *     as epoch and fencing token
 * @param leaseId the lease the leadership hangs on
 */
public record Leader(Bytes key, Bytes value, long revision, long leaseId) {
    /**
     * The value as UTF-8 text.
     *
     * @return the value as UTF-8 text
     */
    public String valueAsString() {
        return value.toStringUtf8();
    }
}
