#!/usr/bin/env python3
"""Writes a scenario manifest: reads a JSON template on stdin, replaces each fault's "epoch_ns"
(wall clock when it was injected) by "at" (seconds after the capture's first frame, read from the
pcap itself), and writes the result to the path given."""
import json, struct, sys

def first_frame_ns(path):
    with open(path, "rb") as f:
        head = f.read(24)
        magic = struct.unpack("<I", head[:4])[0]
        if magic in (0xA1B2C3D4, 0xA1B23C4D):
            endian = "<"
        elif magic in (0xD4C3B2A1, 0x4D3CB2A1):
            endian = ">"
        else:
            raise SystemExit(f"{path}: not a pcap file (tcpdump writes pcap)")
        nano = magic in (0xA1B23C4D, 0x4D3CB2A1)
        sec, frac = struct.unpack(endian + "II", f.read(8))
        return sec * 1_000_000_000 + (frac if nano else frac * 1000)

manifest = json.load(sys.stdin)
out = sys.argv[1]
capture = manifest["captures"][0]["file"]
origin = first_frame_ns(out.rsplit("/", 1)[0] + "/" + capture)
for fault in manifest.get("faults", []):
    fault["at"] = round((fault.pop("epoch_ns") - origin) / 1e9, 3)
with open(out, "w") as f:
    json.dump(manifest, f, indent=2)
    f.write("\n")
