/**
 * Typed ZeroMQ publish/subscribe (JeroMQ) whose publishers register by name in the etcdkit service registry and
 * whose subscribers find and follow them.
 */
module io.etcdkit.zmq {
    requires transitive io.etcdkit.recipes;
    requires org.zeromq.jeromq;
    requires org.slf4j;

    exports io.etcdkit.zmq;
}
