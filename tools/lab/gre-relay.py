#!/usr/bin/env python3
"""A userspace GRE-over-802.1Q relay, because the lab's kernel has no gre or vlan link types.

  gre-relay.py TUN UNDERLAY LOCAL_IP REMOTE_IP REMOTE_MAC VLAN_ID

Runs inside one router's namespace. Every IPv4 packet the router routes into the TUN device is
wrapped in GRE (RFC 2784: no checksum, key or sequence; protocol type 0x0800), then in an outer IPv4
header LOCAL_IP -> REMOTE_IP (protocol 47, TTL 64, DF), then in an Ethernet frame with an 802.1Q tag
(VLAN_ID, priority 0) to REMOTE_MAC, and sent on the UNDERLAY interface through an AF_PACKET socket.
Frames arriving on UNDERLAY that carry such a GRE packet for LOCAL_IP (tagged with VLAN_ID, or with
the tag already stripped by the kernel into packet metadata) are unwrapped and the inner packet is
written to the TUN device. Anything else is ignored. Standard library only.
"""
import fcntl
import os
import select
import signal
import socket
import struct
import sys

TUNSETIFF = 0x400454CA
IFF_TUN, IFF_NO_PI = 0x0001, 0x1000
ETH_P_ALL, ETH_P_8021Q, ETH_P_IP = 0x0003, 0x8100, 0x0800
PACKET_OUTGOING = 4
SOL_PACKET, PACKET_AUXDATA = 263, 8
TP_STATUS_VLAN_VALID = 0x10
GRE_PROTO = 47


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def open_tun(name):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


class Relay:
    def __init__(self, tun, underlay, local_ip, remote_ip, remote_mac, vlan):
        self.tun = open_tun(tun)
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        self.sock.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
        self.sock.bind((underlay, 0))
        self.local = socket.inet_aton(local_ip)
        self.remote = socket.inet_aton(remote_ip)
        self.local_mac = self.sock.getsockname()[4][:6]
        self.remote_mac = bytes.fromhex(remote_mac.replace(":", ""))
        self.vlan = vlan
        self.ident = 0

    def encapsulate(self, inner):
        gre = struct.pack("!HH", 0, ETH_P_IP)
        self.ident = (self.ident + 1) & 0xFFFF
        header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(gre) + len(inner), self.ident, 0x4000, 64,
                             GRE_PROTO, 0, self.local, self.remote)
        header = header[:10] + struct.pack("!H", checksum(header)) + header[12:]
        tag = struct.pack("!HH", ETH_P_8021Q, self.vlan & 0x0FFF)
        return self.remote_mac + self.local_mac + tag + struct.pack("!H", ETH_P_IP) + header + gre + inner

    def decapsulate(self, frame, aux_vlan):
        ethertype = struct.unpack("!H", frame[12:14])[0]
        offset, vlan = 14, aux_vlan
        if ethertype == ETH_P_8021Q:
            vlan = struct.unpack("!H", frame[14:16])[0] & 0x0FFF
            ethertype = struct.unpack("!H", frame[16:18])[0]
            offset = 18
        if ethertype != ETH_P_IP or vlan != self.vlan or len(frame) < offset + 24:
            return None
        ip = frame[offset:]
        ihl = (ip[0] & 0x0F) * 4
        if ip[0] >> 4 != 4 or ip[9] != GRE_PROTO or ip[16:20] != self.local or ip[12:16] != self.remote:
            return None
        total = struct.unpack("!H", ip[2:4])[0]
        flags, proto = struct.unpack("!HH", ip[ihl:ihl + 4])
        if flags != 0 or proto != ETH_P_IP:  # only plain RFC 2784 GRE carrying IPv4
            return None
        return ip[ihl + 4:total]

    def run(self):
        while True:
            ready, _, _ = select.select([self.tun, self.sock], [], [])
            if self.tun in ready:
                inner = os.read(self.tun, 65535)
                if inner and inner[0] >> 4 == 4:  # IPv4 only; anything else stays local
                    self.sock.send(self.encapsulate(inner))
            if self.sock in ready:
                frame, ancillary, _flags, address = self.sock.recvmsg(65535, socket.CMSG_SPACE(32))
                if address[2] == PACKET_OUTGOING:
                    continue
                aux_vlan = None
                for level, kind, data in ancillary:
                    if level == SOL_PACKET and kind == PACKET_AUXDATA and len(data) >= 18:
                        status, _len, _snap, _mac, _net, tci = struct.unpack("IIIHHH", data[:18])
                        if status & TP_STATUS_VLAN_VALID:
                            aux_vlan = tci & 0x0FFF
                inner = self.decapsulate(frame, aux_vlan)
                if inner:
                    os.write(self.tun, inner)


def main(argv):
    if len(argv) != 6:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    tun, underlay, local_ip, remote_ip, remote_mac, vlan = argv
    Relay(tun, underlay, local_ip, remote_ip, remote_mac, int(vlan)).run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
