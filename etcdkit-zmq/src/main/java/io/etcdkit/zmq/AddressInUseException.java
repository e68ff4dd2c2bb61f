package io.etcdkit.zmq;

/**
 * A publisher could not bind its address because another socket (in this or another process) already listens on
 * it. Nothing was registered. Choose another port, or port 0 to let the system pick a free one.
 */
public class AddressInUseException extends ZmqException {
    /** The address. */
    private final ZmqAddress address;

    /**
     * Creates the exception for {@code address}.
     *
     * @param address the address
     * @param cause the underlying failure
     */
    public AddressInUseException(ZmqAddress address, Throwable cause) {
        super("cannot bind " + address + ": the address is already in use; stop whatever listens there, or bind "
                + "port 0 to get a free port (subscribers find it through the registry)", cause);
        this.address = address;
    }

    /**
     * The address that was in use.
     *
     * @return the address that was in use
     */
    public ZmqAddress address() {
        return address;
    }
}
