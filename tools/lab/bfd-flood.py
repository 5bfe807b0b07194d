#!/usr/bin/env python3
"""Flood a BFD endpoint with random and crafted Control packets (python3, standard library only).

    bfd-flood.py --dst ADDR --peer ADDR --our-discr N --peer-discr N [--seconds 10] [--rate 100000]
                 [--workers 2] [--port 3784] [--spoof ADDR ...]

Runs inside the attacker's network namespace and sends raw IPv4/UDP datagrams (IP_HDRINCL, so the
source address and TTL are ours to choose) to --dst:--port, 64 per sendmmsg(2) call through ctypes
(one sendto per packet topped out at 38-92 kpps on this machine), one raw socket per worker. "ours" is the endpoint under attack
(--our-discr is its My Discriminator), "peer" the real peer it has a session with. Every kind below
names the RFC 5880 §6.8.6 / RFC 5881 §5 check that must discard it; the table is cycled, mixed, at
--rate packets/s split over --workers processes. Prints one JSON object: packets sent per kind, the
elapsed time and the achieved rate.

The packets that would be accepted if the check were missing are the dangerous ones: a Down or
AdminDown packet carrying the right discriminators (TTL 254, or the M bit, or Detect Mult 0 …) from
the peer's address would take the session down. Packets that a correct endpoint *must* accept (the
right discriminators, TTL 255, well formed) are never sent: they are the peer's to send.
"""
import argparse
import ctypes
import ctypes.util
import json
import os
import random
import socket
import struct
import time

DOWN, INIT, UP, ADMIN_DOWN = 1, 2, 3, 0


def bfd(version=1, diag=0, state=DOWN, flags=0, mult=3, length=24, my=1, your=0,
        tx=300_000, rx=300_000, echo=0, tail=b""):
    """RFC 5880 §4.1 mandatory section; `flags` are P F C A D M in the low six bits."""
    head = struct.pack("!BBBBIIIII", (version << 5) | diag, (state << 6) | flags, mult, length,
                       my, your, tx, rx, echo)
    return head + tail


def kinds(our, peer, source, rng):
    """(kind, source, ttl, payload) for every crafted kind; random ones get several variants."""
    A_BIT, M_BIT = 0x04, 0x01
    other = (our ^ 0x5A5A5A5A) or 1
    table = [
        # RFC 5881 §5 (GTSM): right discriminators, the session-killing states, one hop too many.
        ("ttl-254-down", source, 254, bfd(state=DOWN, my=peer, your=our, diag=1)),
        ("ttl-254-admindown", source, 254, bfd(state=ADMIN_DOWN, my=peer, your=our, diag=7)),
        # §6.8.6, each check alone; everything else would take the session down.
        ("bad-version", source, 255, bfd(version=2, state=DOWN, my=peer, your=our)),
        ("version-0", source, 255, bfd(version=0, state=DOWN, my=peer, your=our)),
        ("length-below-24", source, 255, bfd(state=DOWN, my=peer, your=our, length=20)),
        ("length-beyond-payload", source, 255, bfd(state=DOWN, my=peer, your=our, length=48)),
        ("detect-mult-0", source, 255, bfd(state=DOWN, my=peer, your=our, mult=0)),
        ("multipoint-bit", source, 255, bfd(state=DOWN, my=peer, your=our, flags=M_BIT)),
        ("my-discr-0", source, 255, bfd(state=DOWN, my=0, your=our)),
        ("your-discr-wrong", source, 255, bfd(state=DOWN, my=peer, your=other)),
        ("your-discr-0-up", source, 255, bfd(state=UP, my=peer, your=0)),
        ("your-discr-0-init", source, 255, bfd(state=INIT, my=peer, your=0)),
        # A bit with no room for an authentication section: Length 24 < 26.
        ("auth-bit-no-section", source, 255, bfd(state=DOWN, my=peer, your=our, flags=A_BIT)),
        # A bit with a section while the session uses no authentication (§6.8.6), one of them of an
        # unassigned Auth Type.
        ("auth-simple-unexpected", source, 255,
         bfd(state=DOWN, my=peer, your=our, flags=A_BIT, length=24 + 3 + 8, tail=bytes([1, 11, 1]) + b"password")),
        ("auth-type-9", source, 255,
         bfd(state=DOWN, my=peer, your=our, flags=A_BIT, length=24 + 8, tail=bytes([9, 8, 1, 0, 0, 0, 0, 0]))),
        # Not from the peer at all: a valid-looking Down packet from an address that is not the peer.
        ("spoofed-source", None, 255, bfd(state=DOWN, my=peer, your=our, diag=1)),
    ]
    # Truncated: every proper prefix of a Down packet with the right discriminators.
    full = bfd(state=DOWN, my=peer, your=our, diag=1)
    table += [("truncated", source, 255, full[:n]) for n in range(0, 24)]
    # Random bytes, and random headers with version 1 (so deeper checks are reached), random TTL.
    for _ in range(256):
        table.append(("random-bytes", source, rng.choice([255, 255, 254, 64, 1]),
                      bytes(rng.getrandbits(8) for _ in range(rng.randrange(0, 80)))))
        table.append(("random-header", source, 255,
                      bfd(state=rng.randrange(4), flags=rng.getrandbits(6) | M_BIT, mult=rng.randrange(256),
                          my=rng.getrandbits(32), your=rng.getrandbits(32), diag=rng.randrange(32))))
    return table


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def datagram(source, destination, ttl, sport, dport, payload):
    """IPv4 + UDP (RFC 768 checksum over the pseudo header) around `payload`."""
    length = 8 + len(payload)
    pseudo = socket.inet_aton(source) + socket.inet_aton(destination) + struct.pack("!BBH", 0, 17, length)
    udp = struct.pack("!HHHH", sport, dport, length, 0) + payload
    udp = udp[:6] + struct.pack("!H", checksum(pseudo + udp) or 0xFFFF) + udp[8:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + length, 0, 0x4000, ttl, 17, 0,
                     socket.inet_aton(source), socket.inet_aton(destination))
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    return ip + udp


class IOVec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("length", ctypes.c_size_t)]


class MsgHdr(ctypes.Structure):
    _fields_ = [("name", ctypes.c_void_p), ("namelen", ctypes.c_uint32), ("iov", ctypes.POINTER(IOVec)),
                ("iovlen", ctypes.c_size_t), ("control", ctypes.c_void_p), ("controllen", ctypes.c_size_t),
                ("flags", ctypes.c_int)]


class MMsgHdr(ctypes.Structure):
    _fields_ = [("hdr", MsgHdr), ("len", ctypes.c_uint)]


class SockaddrIn(ctypes.Structure):
    _fields_ = [("family", ctypes.c_ushort), ("port", ctypes.c_uint16), ("addr", ctypes.c_uint8 * 4),
                ("zero", ctypes.c_uint8 * 8)]


BATCH = 64
MSG_DONTWAIT = 0x40


def batches(frames, destination):
    """The table laid out once as C arrays of BATCH messages (the table is cycled, so the last
    batch wraps to the first frames): a send is then one sendmmsg with no Python work per packet."""
    address = SockaddrIn(socket.AF_INET, 0, (ctypes.c_uint8 * 4)(*socket.inet_aton(destination)))
    buffers = [ctypes.create_string_buffer(frame, len(frame)) for _, frame in frames]
    iovecs = (IOVec * len(frames))(*[IOVec(ctypes.addressof(b), len(f)) for b, (_, f) in zip(buffers, frames)])
    out = []
    for start in range(0, len(frames), BATCH):
        indices = [(start + i) % len(frames) for i in range(BATCH)]
        messages = (MMsgHdr * BATCH)()
        for slot, index in enumerate(indices):
            messages[slot].hdr.name = ctypes.addressof(address)
            messages[slot].hdr.namelen = ctypes.sizeof(address)
            messages[slot].hdr.iov = ctypes.pointer(iovecs[index])
            messages[slot].hdr.iovlen = 1
        out.append((messages, indices))
    return out, (address, buffers, iovecs)


def worker(frames, destination, rate, deadline, pipe):
    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    libc.sendmmsg.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_uint, ctypes.c_int]
    table, keep = batches(frames, destination)
    sent = [0] * len(frames)
    errors = calls = 0
    start = time.monotonic()
    which, total = 0, 0
    while True:
        now = time.monotonic()
        if now >= deadline:
            break
        ahead = total / rate - (now - start)
        if ahead > 0:
            time.sleep(min(ahead, deadline - now))
            continue
        messages, indices = table[which]
        which = (which + 1) % len(table)
        calls += 1
        done = libc.sendmmsg(sock.fileno(), ctypes.addressof(messages), BATCH, MSG_DONTWAIT)
        if done < 0:
            done = 0
        for index in indices[:done]:
            sent[index] += 1
        # ENOBUFS/EAGAIN when the veth queue is full: what was not taken is counted, not retried.
        errors += BATCH - done
        total += BATCH
    del keep
    os.write(pipe, json.dumps({"sent": sent, "errors": errors, "calls": calls,
                               "elapsed": time.monotonic() - start}).encode())
    os.close(pipe)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dst", required=True)
    parser.add_argument("--peer", required=True)
    parser.add_argument("--our-discr", type=int, required=True)
    parser.add_argument("--peer-discr", type=int, required=True)
    parser.add_argument("--spoof", action="append", default=[],
                        help="source addresses for the spoofed-source kind (default 192.0.2.3, 203.0.113.9)")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=100_000.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=3784)
    parser.add_argument("--seed", type=int, default=5880)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    spoofs = args.spoof or ["192.0.2.3", "203.0.113.9"]
    frames = []
    for kind, source, ttl, payload in kinds(args.our_discr, args.peer_discr, args.peer, rng):
        for src in ([source] if source else spoofs):
            frames.append((kind, datagram(src, args.dst, ttl, rng.randrange(49152, 65536), args.port, payload)))
    rng.shuffle(frames)
    deadline = time.monotonic() + args.seconds
    children = []
    for _ in range(max(1, args.workers)):
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read)
            try:
                worker(frames, args.dst, args.rate / args.workers, deadline, write)
            finally:
                os._exit(0)
        os.close(write)
        children.append((pid, read))
    per_kind, errors, calls, elapsed = {}, 0, 0, 0.0
    for pid, read in children:
        chunks = []
        while chunk := os.read(read, 1 << 16):
            chunks.append(chunk)
        os.close(read)
        os.waitpid(pid, 0)
        result = json.loads(b"".join(chunks))
        for (kind, _), n in zip(frames, result["sent"]):
            per_kind[kind] = per_kind.get(kind, 0) + n
        errors += result["errors"]
        calls += result["calls"]
        elapsed = max(elapsed, result["elapsed"])
    total = sum(per_kind.values())
    print(json.dumps({"sent": total, "send_errors": errors, "seconds": round(elapsed, 3),
                      "rate_pps": round(total / elapsed) if elapsed else 0, "target_pps": args.rate,
                      "workers": args.workers, "sendmmsg_calls": calls, "per_kind": dict(sorted(per_kind.items()))}))


if __name__ == "__main__":
    main()
