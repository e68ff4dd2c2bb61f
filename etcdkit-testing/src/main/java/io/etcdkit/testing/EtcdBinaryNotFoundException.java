package io.etcdkit.testing;

/**
 * Thrown by {@link EtcdCluster#start()} when no usable {@code etcd} executable can be found.
 *
 * <p>The message names where the harness looked and says how to fix it: install the Debian packages with
 * {@value #INSTALL_HINT}, or point the {@code ETCD_BIN} environment variable (or the {@code etcd.bin}
 * system property) at an etcd 3.4+ binary. It is a {@link EtcdStartException} because a missing binary
 * is one way a start fails. Instances are immutable and safe to share between threads.
 */
public class EtcdBinaryNotFoundException extends EtcdStartException {

    /** The shell command that installs etcd and etcdctl on Debian and Ubuntu. */
    public static final String INSTALL_HINT = "apt-get update && apt-get install -y etcd-server etcd-client";

    /**
     * Creates an exception whose message is {@code problem} followed by the installation hint.
     *
     * @param problem where the harness looked and what it found, e.g. {@code "ETCD_BIN=/x does not exist"}
     */
    public EtcdBinaryNotFoundException(String problem) {
        super(problem + ". Install etcd with `" + INSTALL_HINT + "`, or set ETCD_BIN (or -Detcd.bin) to the"
                + " path of an etcd 3.4+ executable.");
    }
}
