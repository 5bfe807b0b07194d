#!/usr/bin/env python3
"""A hostile BGP peer (python3, standard library only): malformed OPENs and UPDATEs, one per
connection, each with the NOTIFICATION the RFCs name for it.

    bgp-hostile.py --local ADDR --remote ADDR --local-as N --remote-as N

Connects from --local to --remote:179 (the speaker under test, configured with --local as its peer
and --local-as as the peer's AS) once per case. Header and OPEN faults are sent instead of our OPEN;
UPDATE faults after the session is Established (OPEN, KEEPALIVE both ways). Expected answers come
from RFC 4271 §6.1 (header), §6.2 (OPEN), §6.3 (UPDATE), RFC 6608 (FSM) and RFC 7606 (UPDATE faults
it downgrades to treat-as-withdraw: no NOTIFICATION, the session stays up). Prints one JSON object
per case and a summary; exit 1 when a case got another answer.
"""
import argparse
import json
import socket
import struct
import sys
import time

MARKER = b"\xff" * 16


def message(kind, body, length=None, marker=MARKER):
    return marker + struct.pack("!HB", 19 + len(body) if length is None else length, kind) + body


def open_body(my_as, hold=90, identifier="192.0.2.2", version=4, params=None):
    if params is None:
        # Capabilities (RFC 5492): multiprotocol IPv4 unicast, 4-octet AS (RFC 6793).
        caps = bytes([1, 4, 0, 1, 0, 1]) + bytes([65, 4]) + struct.pack("!I", my_as)
        params = bytes([2, len(caps)]) + caps
    return struct.pack("!BHH4sB", version, my_as if my_as < 65536 else 23456, hold,
                       socket.inet_aton(identifier), len(params)) + params


def update(withdrawn=b"", attributes=b"", nlri=b"", withdrawn_length=None, attributes_length=None):
    body = struct.pack("!H", len(withdrawn) if withdrawn_length is None else withdrawn_length) + withdrawn
    body += struct.pack("!H", len(attributes) if attributes_length is None else attributes_length) + attributes
    return message(2, body + nlri)


def cases(peer_as, our_as):
    """(id, phase, bytes, expected (code, subcode) or None for "no NOTIFICATION", why)."""
    origin = bytes([0x40, 1, 1, 0])
    as_path = bytes([0x40, 2, 6, 2, 1]) + struct.pack("!I", our_as)
    next_hop = bytes([0x40, 3, 4, 192, 0, 2, 2])
    nlri = bytes([24, 198, 51, 100])
    return [
        ("header-marker", "open", message(1, open_body(our_as), marker=b"\x00" * 16), (1, 1),
         "RFC 4271 §6.1: marker not all ones → Connection Not Synchronized"),
        ("header-length-18", "open", message(4, b"", length=18), (1, 2), "RFC 4271 §6.1: length < 19 → Bad Message Length"),
        ("header-type-9", "open", message(9, b""), (1, 3), "RFC 4271 §6.1: unknown type → Bad Message Type"),
        ("open-too-short", "open", message(1, b"\x04\x00"), (1, 2),
         "RFC 4271 §6.1: OPEN shorter than 29 octets → Bad Message Length"),
        ("open-version-3", "open", message(1, open_body(our_as, version=3)), (2, 1),
         "RFC 4271 §6.2: unsupported version → Unsupported Version Number"),
        ("open-bad-peer-as", "open", message(1, open_body(64999)), (2, 2), "RFC 4271 §6.2: unexpected AS → Bad Peer AS"),
        ("open-identifier-0", "open", message(1, open_body(our_as, identifier="0.0.0.0")), (2, 3),
         "RFC 4271 §6.2 / RFC 6286: identifier 0 → Bad BGP Identifier"),
        ("open-hold-time-1", "open", message(1, open_body(our_as, hold=1)), (2, 6),
         "RFC 4271 §6.2: hold time 1 or 2 → Unacceptable Hold Time"),
        ("open-param-type-1", "open", message(1, open_body(our_as, params=bytes([1, 2, 0, 0]))), (2, 4),
         "RFC 4271 §6.2: unrecognised optional parameter → Unsupported Optional Parameter"),
        ("open-param-overrun", "open", message(1, open_body(our_as, params=bytes([2, 40, 65, 4]))), (2, 0),
         "RFC 4271 §6.2: parameter length beyond the OPEN → OPEN Message Error"),
        ("update-before-open", "open", update(), (5, 1),
         "RFC 4271 §6.6 / RFC 6608 §3: UPDATE in OpenSent → FSM Error, Unexpected Message in OpenSent"),
        ("update-withdrawn-overrun", "established", update(withdrawn_length=100), (3, 1),
         "RFC 4271 §6.3 / RFC 7606 §4: withdrawn length past the message → Malformed Attribute List"),
        ("update-attributes-overrun", "established", update(attributes=origin + as_path + next_hop, attributes_length=200),
         (3, 1), "RFC 4271 §6.3 / RFC 7606 §4: total attribute length past the message → Malformed Attribute List"),
        ("update-nlri-length-33", "established", update(attributes=origin + as_path + next_hop, nlri=bytes([33, 1, 2, 3, 4, 5])),
         (3, 10), "RFC 4271 §6.3 / RFC 7606 §5.3: prefix length 33 → Invalid Network Field"),
        ("update-unknown-well-known", "established",
         update(attributes=origin + as_path + next_hop + bytes([0x40, 99, 1, 0]), nlri=nlri), (3, 2),
         "RFC 4271 §6.3: unrecognised well-known attribute → Unrecognized Well-known Attribute"),
        ("update-missing-next-hop", "established", update(attributes=origin + as_path, nlri=nlri), None,
         "RFC 7606 §3 (d): missing well-known attribute → treat-as-withdraw, no NOTIFICATION"),
        ("update-origin-7", "established", update(attributes=bytes([0x40, 1, 1, 7]) + as_path + next_hop, nlri=nlri), None,
         "RFC 7606 §7.1: invalid ORIGIN → treat-as-withdraw, no NOTIFICATION"),
        ("update-med-3-octets", "established",
         update(attributes=origin + as_path + next_hop + bytes([0x80, 4, 3, 0, 0, 1]), nlri=nlri), None,
         "RFC 7606 §7.4: MULTI_EXIT_DISC of the wrong length → treat-as-withdraw, no NOTIFICATION"),
    ]


class Peer:
    def __init__(self, local, remote, timeout):
        self.sock = socket.create_connection((remote, 179), timeout=timeout, source_address=(local, 0))
        self.buffer = b""

    def read_message(self, deadline):
        """(type, body) of the next message, or None on timeout/EOF."""
        while True:
            if len(self.buffer) >= 19:
                length = struct.unpack("!H", self.buffer[16:18])[0]
                if length < 19:
                    return None
                if len(self.buffer) >= length:
                    raw, self.buffer = self.buffer[:length], self.buffer[length:]
                    return raw[18], raw[19:]
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            self.sock.settimeout(remaining)
            try:
                chunk = self.sock.recv(65536)
            except (socket.timeout, ConnectionResetError):
                return None
            if not chunk:
                return None
            self.buffer += chunk

    def notification(self, seconds):
        """(code, subcode) of the first NOTIFICATION within `seconds`, else None."""
        deadline = time.monotonic() + seconds
        while (msg := self.read_message(deadline)) is not None:
            if msg[0] == 3 and len(msg[1]) >= 2:
                return msg[1][0], msg[1][1]
        return None

    def establish(self, our_as, seconds):
        self.sock.sendall(message(1, open_body(our_as)))
        deadline = time.monotonic() + seconds
        got_open = False
        while (msg := self.read_message(deadline)) is not None:
            if msg[0] == 1 and not got_open:
                got_open = True
                self.sock.sendall(message(4, b""))
            elif msg[0] == 4 and got_open:
                return True
            elif msg[0] == 3:
                return False
        return False

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def run_case(args, case):
    case_id, phase, data, expected, why = case
    for attempt in range(20):  # the speaker accepts again once it has closed the previous connection
        try:
            peer = Peer(args.local, args.remote, 2.0)
            break
        except OSError:
            time.sleep(0.25)
    else:
        return {"case": case_id, "ok": False, "got": "no connection", "expected": expected, "why": why}
    try:
        if phase == "established" and not peer.establish(args.local_as, 5.0):
            return {"case": case_id, "ok": False, "got": "not established", "expected": expected, "why": why}
        peer.sock.sendall(data)
        got = peer.notification(1.0 if expected is None else 3.0)
        if expected is None and got is None:
            # Still up: a KEEPALIVE is answered by nothing but the speaker's own KEEPALIVEs.
            peer.sock.sendall(message(4, b""))
            got = peer.notification(0.3)
        ok = got == expected
        return {"case": case_id, "ok": ok, "got": list(got) if got else None,
                "expected": list(expected) if expected else None, "why": why}
    finally:
        peer.close()
        time.sleep(0.2)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--local", required=True)
    parser.add_argument("--remote", required=True)
    parser.add_argument("--local-as", type=int, required=True)
    parser.add_argument("--remote-as", type=int, required=True)
    args = parser.parse_args()
    results = [run_case(args, case) for case in cases(args.remote_as, args.local_as)]
    for result in results:
        print(json.dumps(result))
    failed = [r["case"] for r in results if not r["ok"]]
    print(json.dumps({"cases": len(results), "failed": failed}))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
