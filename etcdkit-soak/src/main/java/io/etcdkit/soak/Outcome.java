package io.etcdkit.soak;

/** How one workload operation ended, as its checker sees it. */
public enum Outcome {
    /** The operation took effect (or, for a read, returned a value). */
    OK,
    /** The operation surely did not take effect (refused before it could apply, or a read that failed). */
    FAILED,
    /** A write that may or may not have taken effect (outcome unknown, or its deadline passed after sending). */
    UNKNOWN
}
