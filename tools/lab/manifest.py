#!/usr/bin/env python3
"""Writes a scenario manifest: reads a JSON template on stdin and writes it to the path given, after
  - replacing each fault's "epoch_ns" (wall clock when it was injected) by "at": seconds after the
    first frame of the main capture (captures[0]), read from the pcap itself, and keeping the wall
    clock as "epoch_ns" for reference;
  - adding to each capture its packet count, duration, first frame time, size and link type, read
    from the file (pcap as tcpdump and mergecap -F pcap write it).
The captures are looked up next to the manifest. Standard library only."""
import json
import os
import struct
import sys

LINKTYPES = {1: "ethernet", 101: "raw", 113: "linux-sll", 276: "linux-sll2"}


def pcap_summary(path):
    with open(path, "rb") as f:
        head = f.read(24)
        if len(head) < 24:
            raise SystemExit(f"{path}: too short for a pcap file")
        magic_le = struct.unpack("<I", head[:4])[0]
        if magic_le in (0xA1B2C3D4, 0xA1B23C4D):
            endian, nano = "<", magic_le == 0xA1B23C4D
        elif magic_le in (0xD4C3B2A1, 0x4D3CB2A1):
            endian, nano = ">", magic_le == 0x4D3CB2A1
        else:
            raise SystemExit(f"{path}: not a pcap file (the lab writes pcap)")
        snaplen, linktype = struct.unpack(endian + "II", head[16:24])
        count, first, last = 0, None, None
        while True:
            record = f.read(16)
            if len(record) < 16:
                break
            sec, frac, incl, _orig = struct.unpack(endian + "IIII", record)
            f.seek(incl, 1)
            stamp = sec * 1_000_000_000 + (frac if nano else frac * 1000)
            first = stamp if first is None else first
            last = stamp
            count += 1
    return {"packets": count, "first_frame_epoch_ns": first,
            "duration_s": round((last - first) / 1e9, 3) if count else 0.0,
            "bytes": os.path.getsize(path), "linktype": LINKTYPES.get(linktype, linktype), "snaplen": snaplen}


def main():
    manifest = json.load(sys.stdin)
    out = sys.argv[1]
    base = os.path.dirname(os.path.abspath(out))
    for capture in manifest["captures"]:
        capture.update(pcap_summary(os.path.join(base, capture["file"])))
    origin = manifest["captures"][0]["first_frame_epoch_ns"]
    for fault in manifest.get("faults", []):
        fault["at"] = round((fault["epoch_ns"] - origin) / 1e9, 6)
    manifest["time_base"] = ("fault 'at' values are seconds after the first frame of " +
                             manifest["captures"][0]["file"] + " (its own timestamps); epoch_ns is the wall clock "
                             "read just before the fault was injected")
    with open(out, "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
