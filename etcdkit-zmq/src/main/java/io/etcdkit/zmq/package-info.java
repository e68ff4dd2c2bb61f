/**
 * Typed ZeroMQ publish/subscribe on JeroMQ, with discovery through the etcdkit service registry:
 * {@link io.etcdkit.zmq.ZmqPublisher} binds, sends {@link io.etcdkit.zmq.Topic} messages and may register itself
 * by name; {@link io.etcdkit.zmq.ZmqSubscriber} connects to fixed addresses or finds and follows publishers by name,
 * and reports messages and connection state as {@link io.etcdkit.zmq.SubscriberEvent}s. The frame layout and the
 * registry entries are documented in the module README, for peers in other languages.
 */
package io.etcdkit.zmq;
