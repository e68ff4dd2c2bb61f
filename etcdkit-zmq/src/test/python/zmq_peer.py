#!/usr/bin/python3
"""A Python peer for the etcdkit-zmq interop tests, using Debian's python3-zmq and python3-etcd3.

It speaks the wire formats documented in etcdkit-zmq/README.md:
  * registry entry: key <root><name>/<id>, value JSON {"id", "address": "tcp://host:port", "metadata": {...}},
    written under a lease that is kept alive and revoked on a clean stop;
  * or, with --layout plain (the ZeroMQ system's other implementations): key <name>, value the plain address
    "tcp://host:port", under a 30 s lease renewed every 10 s;
  * messages: three frames [topic UTF-8][header: version 1, publisher id u64 BE, sequence u64 BE][payload].

  zmq_peer.py publish   --etcd HOST:PORT [--layout registry|plain] --root R --name N --id ID --topic T [--ttl S]
      registers, prints "READY <endpoint>", sends {"symbol": "PY", "price": i} every 10 ms until it reads
      "stop" (or end of input) on stdin, then revokes the lease, prints "STOPPED" and exits 0.
  zmq_peer.py subscribe --etcd HOST:PORT [--layout registry|plain] --root R --name N --topic T --count C [--timeout S]
      looks the name up, prints "FOUND <id> <address> <framing>" per instance, connects to all, prints
      "GOT <publisher id hex> <sequence> <payload>" per message and "DONE <count>" after C messages; exit 0.
      Exits 2 when nothing is registered, 3 on a malformed message, 4 on a time-out.
"""
import argparse
import json
import os
import struct
import sys
import threading
import time

import etcd3
import zmq

HEADER = struct.Struct(">BQQ")  # version, publisher id, sequence
VERSION = 1
FRAMING = "etcdkit-zmq/1"


def say(*words):
    print(*words, flush=True)


def etcd_client(endpoint):
    host, port = endpoint.rsplit(":", 1)
    return etcd3.client(host=host, port=int(port))


def publish(args):
    etcd = etcd_client(args.etcd)
    ctx = zmq.Context()
    sock = ctx.socket(zmq.PUB)
    sock.setsockopt(zmq.LINGER, 0)
    port = sock.bind_to_random_port("tcp://127.0.0.1")
    endpoint = "tcp://127.0.0.1:%d" % port
    lease = etcd.lease(args.ttl)
    if args.layout == "plain":
        etcd.put(args.name, endpoint, lease=lease)
    else:
        entry = {"id": args.id, "address": endpoint,
                 "metadata": {"transport": "zmq", "framing": FRAMING, "language": "python"}}
        etcd.put(args.root + args.name + "/" + args.id, json.dumps(entry), lease=lease)

    stop = threading.Event()

    def keep_alive():
        while not stop.wait(max(0.5, args.ttl / 3.0)):
            lease.refresh()

    def read_stdin():
        for line in sys.stdin:
            if line.strip() == "stop":
                break
        stop.set()

    threading.Thread(target=keep_alive, daemon=True).start()
    threading.Thread(target=read_stdin, daemon=True).start()
    say("READY", endpoint)

    publisher_id = int.from_bytes(os.urandom(8), "big")
    topic = args.topic.encode("utf-8")
    seq = 0
    while not stop.wait(0.01):
        seq += 1
        payload = json.dumps({"symbol": "PY", "price": seq}).encode("utf-8")
        sock.send_multipart([topic, HEADER.pack(VERSION, publisher_id, seq), payload])
    lease.revoke()
    sock.close()
    ctx.term()
    say("STOPPED")
    return 0


def lookup_plain(etcd, name):
    value, _ = etcd.get(name)
    if value is None:
        say("UNKNOWN", name)
        return None
    address = value.decode("utf-8")
    say("FOUND", name, address, "-")
    return [{"id": name, "address": address}]


def subscribe(args):
    etcd = etcd_client(args.etcd)
    if args.layout == "plain":
        instances = lookup_plain(etcd, args.name)
        return 2 if instances is None else receive(args, instances)
    prefix = args.root + args.name + "/"
    instances = []
    for value, meta in etcd.get_prefix(prefix):
        entry = json.loads(value.decode("utf-8"))
        for field in ("id", "address", "metadata"):
            if field not in entry:
                say("MALFORMED registry entry", meta.key.decode("utf-8"), "has no", field)
                return 3
        say("FOUND", entry["id"], entry["address"], entry["metadata"].get("framing", "-"))
        instances.append(entry)
    if not instances:
        say("UNKNOWN", prefix)
        return 2
    return receive(args, instances)


def receive(args, instances):
    ctx = zmq.Context()
    sock = ctx.socket(zmq.SUB)
    sock.setsockopt(zmq.LINGER, 0)
    topic = args.topic.encode("utf-8")
    sock.setsockopt(zmq.SUBSCRIBE, topic)
    for entry in instances:
        sock.connect(entry["address"])
    last = {}
    got = 0
    deadline = time.monotonic() + args.timeout
    try:
        while got < args.count:
            left = deadline - time.monotonic()
            if left <= 0 or not sock.poll(int(left * 1000)):
                say("TIMEOUT after", got, "messages")
                return 4
            frames = sock.recv_multipart()
            if frames[0] != topic:
                continue  # a longer topic sharing the prefix
            if len(frames) != 3 or len(frames[1]) != HEADER.size:
                say("MALFORMED", len(frames), "frames")
                return 3
            version, publisher_id, seq = HEADER.unpack(frames[1])
            if version != VERSION:
                say("MALFORMED version", version)
                return 3
            if publisher_id in last and seq <= last[publisher_id]:
                say("MALFORMED sequence", seq, "after", last[publisher_id])
                return 3
            last[publisher_id] = seq
            value = json.loads(frames[2].decode("utf-8"))
            say("GOT", "%016x" % publisher_id, seq, json.dumps(value, sort_keys=True))
            got += 1
    finally:
        sock.close()
        ctx.term()
    say("DONE", got)
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["publish", "subscribe"])
    parser.add_argument("--etcd", required=True)
    parser.add_argument("--root", default="services/")
    parser.add_argument("--name", required=True)
    parser.add_argument("--id", default="python-peer")
    parser.add_argument("--topic", required=True)
    parser.add_argument("--layout", choices=["registry", "plain"], default="registry")
    parser.add_argument("--ttl", type=int, default=None)
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument("--timeout", type=float, default=20.0)
    args = parser.parse_args()
    if args.ttl is None:
        args.ttl = 30 if args.layout == "plain" else 5
    return publish(args) if args.mode == "publish" else subscribe(args)


if __name__ == "__main__":
    sys.exit(main())
