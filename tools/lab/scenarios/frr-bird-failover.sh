# As frr-bird-v4, then silent loss on the link: BFD detection-time expiry on both sides.
FAMILY=4 FAULT=silent
source "$LAB_DIR/frr-bird.inc"
python3 "$LAB_DIR/manifest.py" "$OUT/$NAME.json" <<JSON
{
  "scenario": "$NAME",
  "description": "As frr-bird-v4; then the link silently drops everything (r2's bridge port detached from the bridge, carrier up on both routers): both sides detect the loss by BFD (Down, diag 1 Control Detection Time Expired) and FRR tears BGP down because of BFD. The main capture is upstream of the loss (each bridge port's ingress); the two extra captures are each router's own interface.",
  "daemons": $(lab_versions),
  "topology": $TOPOLOGY,
  "bfd": $BFD_CONFIG,
  "bgp": $BGP_CONFIG,
  "captures": [$MAIN_CAPTURE$EXTRA_CAPTURES],
  "faults": [{"what": "$FAULT_TEXT", "command": "ip -n ps-sw link set pssw2 nomaster", "epoch_ns": $FAULT_NS}],
  "observed": {"frr_bgp_at_end": "$FRR_BGP_STATE"},
  "facts": [
    {"id": "up-r1", "text": "FRR is Up before the fault", "check": {"kind": "bfd_seen", "src": "$A", "before_fault": 0, "match": {"peerscope.bfd.sta_name": "Up"}}},
    {"id": "up-r2", "text": "BIRD is Up before the fault", "check": {"kind": "bfd_seen", "src": "$B", "before_fault": 0, "match": {"peerscope.bfd.sta_name": "Up"}}},
    {"id": "diag1-r1", "text": "FRR sends Down with diag 1 (Control Detection Time Expired) within 4 s of the fault", "check": {"kind": "bfd_seen", "src": "$A", "after_fault": 0, "within": 4.0, "match": {"peerscope.bfd.sta_name": "Down", "bfd.diag": 1}}},
    {"id": "diag1-r2", "text": "BIRD sends Down with diag 1 within 4 s of the fault", "check": {"kind": "bfd_seen", "src": "$B", "after_fault": 0, "within": 4.0, "match": {"peerscope.bfd.sta_name": "Down", "bfd.diag": 1}}},
    {"id": "detect-r1", "text": "FRR's detection time is 1.5 s (BIRD's mult 5 x 300 ms): its Down comes 1.5 s minus up to one BIRD interval (300 ms) after the fault, plus slack", "check": {"kind": "bfd_latency", "src": "$A", "fault": 0, "match": {"peerscope.bfd.sta_name": "Down", "bfd.diag": 1}, "min": 1.1, "max": 2.0}},
    {"id": "detect-r2", "text": "BIRD's detection time is 1.5 s (FRR's mult 3 x 500 ms): its Down comes 1.5 s minus up to one FRR interval (500 ms) after the fault, plus slack", "check": {"kind": "bfd_latency", "src": "$B", "fault": 0, "match": {"peerscope.bfd.sta_name": "Down", "bfd.diag": 1}, "min": 0.9, "max": 2.0}},
    {"id": "r1-stays-down", "text": "FRR never comes back Up after its Down (it hears nothing)", "check": {"kind": "bfd_none", "src": "$A", "after_fault": 0, "delay": 2.0, "match": {"peerscope.bfd.sta_name": "Up"}}},
    {"id": "bgp-teardown-r1", "text": "FRR tears BGP down because of BFD: NOTIFICATION, FIN or RST from FRR within 1 s of its BFD Down", "decoder": "tshark", "check": {"kind": "bgp_teardown", "src": "$A", "diag": 1, "within": 1.0}},
    {"id": "at-r1-deaf", "text": "capture at r1's own interface: nothing from BIRD arrives after the fault (+0.1 s)", "check": {"kind": "bfd_seen", "capture": 1, "src": "$B", "after_fault": 0, "delay": 0.1, "max": 0}},
    {"id": "at-r1-sends", "text": "capture at r1's own interface: FRR's own packets keep going out after the fault", "check": {"kind": "bfd_seen", "capture": 1, "src": "$A", "after_fault": 0, "delay": 0.1, "min": 3}},
    {"id": "at-r2-deaf", "text": "capture at r2's own interface: nothing from FRR arrives after the fault (+0.1 s)", "check": {"kind": "bfd_seen", "capture": 2, "src": "$A", "after_fault": 0, "delay": 0.1, "max": 0}}
  ]
}
JSON
