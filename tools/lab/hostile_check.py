#!/usr/bin/env python3
"""The pass criteria of tools/lab/hostile over the files it collected (python3, standard library).

    hostile_check.py TMPDIR RESPOND_ALIVE RESPOND_STATUS START_NS END_NS TICKS_BEFORE TICKS_AFTER CLK_TCK
                     CPU_LIMIT UDP_BEFORE UDP_AFTER BACKLOG_DROPS

Sources of truth: FRR's own view of the session (`show bfd peer … json`, `… counters json`), the
flooder's count of what it sent, the kernel's UDP counters and /proc CPU ticks of our process, the
RFCs' NOTIFICATION codes (bgp-hostile.py) and tshark's decoding of the capture of port 179.
Prints one PASS/FAIL line per check, the figures, then "N passed, M failed"; writes TMPDIR/hostile.json.
"""
import json
import os
import sys

# Every kind the flooder sends from the peer's address lands on one of these RFC 5880 §6.8.6
# checks (RFC 5881 §5 for the TTL); each must have discarded at least one packet.
EXPECTED_REASONS = ["ttl-below-minimum", "unsupported-version", "length-below-minimum", "length-beyond-payload",
                    "detect-mult-zero", "multipoint-set", "my-discriminator-zero", "your-discriminator-unknown",
                    "your-discriminator-zero-not-down", "auth-unexpected"]


def main():
    tmp, alive, status, start, end, t0, t1, hz, cpu_limit, udp0, udp1, backlog = sys.argv[1:13]
    results, figures = [], {}

    def check(what, ok, evidence=""):
        results.append((what, bool(ok)))
        print(f"{'PASS' if ok else 'FAIL'} {what}{': ' + evidence if evidence else ''}")

    def load(name):
        try:
            with open(os.path.join(tmp, name)) as f:
                return json.load(f)
        except (OSError, ValueError):
            return {}

    before, after_flood, after = load("frr-before.json"), load("frr-after-flood.json"), load("frr-after.json")
    counters0, counters1 = load("frr-counters-before.json"), load("frr-counters-after.json")
    for label, state in (("before the flood", before), ("after the flood", after_flood), ("at the end", after)):
        check(f"FRR's session is Up {label}", state.get("status") == "up",
              f"status {state.get('status')}, id {state.get('id')}, remote-id {state.get('remote-id')}")
    check("FRR kept the same session (its and our discriminators unchanged)",
          before.get("id") == after.get("id") and before.get("remote-id") == after.get("remote-id"))
    downs = {k: (counters0.get(k), counters1.get(k)) for k in counters1 if "down" in k}
    check("FRR counted no session-down event", downs and all(a == b for a, b in downs.values()), json.dumps(downs))

    with open(os.path.join(tmp, "respond-before.out")) as f:
        lines_before = [line for line in f if line.startswith("bfd ")]
    with open(os.path.join(tmp, "respond-end.out")) as f:
        changes = [line for line in f if line.startswith("bfd ")]
    with open(os.path.join(tmp, "respond.out")) as f:
        lines = f.read().splitlines()
    check("respond: no BFD state change during the flood and the BGP attack",
          changes == lines_before and changes and "→ Up" in changes[-1], "; ".join(c.strip() for c in changes))
    check("respond: still running at the end (no trap), exit 0 on SIGTERM", alive == "yes" and status == "0",
          f"alive {alive}, exit {status}")
    tally = {}
    for line in reversed(lines):
        if line.startswith("{"):
            tally = json.loads(line).get("bfd_reception", {})
            break
    flood = load("flood.json")
    figures["flood"] = flood
    figures["bfd_reception"] = tally
    discards = tally.get("discards", {})
    missing = [reason for reason in EXPECTED_REASONS if discards.get(reason, 0) == 0]
    check("respond counted discards for every crafted kind", tally and not missing,
          "missing " + ", ".join(missing) if missing else
          ", ".join(f"{r} {discards[r]}" for r in EXPECTED_REASONS))
    check("respond counted the spoofed sources (not from the peer)", tally.get("not_from_peer", 0) > 0,
          f"not_from_peer {tally.get('not_from_peer')}")
    check("respond read FRR's packets on the session's own socket (address and source port), apart from the flood",
          tally.get("via_peer_channel", 0) > 0 and tally.get("peer_channel_errors", 1) == 0,
          f"via_peer_channel {tally.get('via_peer_channel')}, accepted {tally.get('accepted')}, "
          f"peer_channel_errors {tally.get('peer_channel_errors')}")
    frr_out = counters1.get("control-packet-output")
    check("respond accepted no more packets than FRR sent (no flood packet accepted)",
          frr_out is not None and tally.get("accepted", 1 << 62) <= frr_out,
          f"accepted {tally.get('accepted')}, FRR control-packet-output {frr_out}")

    try:
        with open(os.path.join(tmp, "respond-memory.txt")) as f:
            figures["respond_memory_kib"] = {line.split(":")[0]: int(line.split()[1]) for line in f if line.strip()}
    except OSError:
        pass
    seconds = (int(end) - int(start)) / 1e9
    cores = (int(t1) - int(t0)) / int(hz) / seconds if seconds > 0 else 0.0
    figures["respond_cpu_cores"] = round(cores, 3)
    figures["flood_window_s"] = round(seconds, 3)
    check(f"respond's CPU during the flood below {cpu_limit} core", cores < float(cpu_limit),
          f"{cores:.3f} cores over {seconds:.1f} s")
    heads, values = udp0.split("\n"), [udp0.split("\n")[1].split(), udp1.split("\n")[1].split()]
    names = heads[0].split()
    udp = {names[i]: int(values[1][i]) - int(values[0][i]) for i in range(1, len(names))}
    figures["kernel_udp"] = {k: udp[k] for k in ("InDatagrams", "RcvbufErrors", "InErrors", "InCsumErrors") if k in udp}
    figures["kernel_udp"]["backlog_drops"] = int(backlog)
    check("the flood reached the namespace", flood.get("sent", 0) > 0,
          f"sent {flood.get('sent')} in {flood.get('seconds')} s = {flood.get('rate_pps')} packets/s "
          f"(target {flood.get('target_pps')}); respond read {tally.get('received')}; kernel UDP "
          + ", ".join(f"{k} {v}" for k, v in figures["kernel_udp"].items()))

    cases = []
    with open(os.path.join(tmp, "bgp.jsonl")) as f:
        for line in f:
            record = json.loads(line)
            if "case" in record:
                cases.append(record)
    for case in cases:
        check(f"BGP {case['case']}: {case['why']}", case["ok"], f"got {case['got']}")
    expected = [tuple(c["expected"]) for c in cases if c["expected"]]
    seen = []
    with open(os.path.join(tmp, "notifications.csv")) as f:
        for line in f:
            fields = [x for x in line.strip().split(",")]
            minor = next((x for x in fields[1:] if x), None)
            if fields[0]:
                seen.append((int(fields[0]), int(minor) if minor is not None else None))
    figures["tshark_notifications"] = seen
    check("tshark reads the same NOTIFICATION code/subcode from us, in order", cases and seen == expected,
          f"tshark {seen}")

    passed = sum(ok for _, ok in results)
    with open(os.path.join(tmp, "hostile.json"), "w") as f:
        json.dump({"checks": [{"check": w, "pass": ok} for w, ok in results], "figures": figures}, f, indent=1)
    print(f"figures: {json.dumps(figures)}")
    print(f"{passed} passed, {len(results) - passed} failed")
    sys.exit(0 if passed == len(results) else 1)


if __name__ == "__main__":
    main()
