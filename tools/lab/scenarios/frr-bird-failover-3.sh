# As frr-bird-failover, with a third router: BIRD's route reaches r3 through r1, and r1 withdraws it
# from r3 when BFD takes the r1–r2 session down — the whole failover chain in one capture.
FAMILY=4 FAULT=silent THIRD=yes
source "$LAB_DIR/frr-bird.inc"
python3 "$LAB_DIR/manifest.py" "$OUT/$NAME.json" <<JSON
{
  "scenario": "$NAME",
  "description": "FRR r1 and BIRD r2 as in frr-bird-failover (BFD 300/300 x3 and 200/500 x5, eBGP with BFD), plus FRR r3 (AS 65003) on its own link to r1 (198.51.100.128/30). BIRD announces 203.0.113.0/24, r1 passes it to r3. Then the r1–r2 link silently drops everything: BFD Down (diag 1) on both sides, r1 tears its BGP session to r2 down and withdraws 203.0.113.0/24 from r3. The capture merges what r1 and r2 sent at the bridge with what r1 sent to r3.",
  "daemons": $(lab_versions),
  "topology": $TOPOLOGY,
  "bfd": $BFD_CONFIG,
  "bgp": $BGP_CONFIG,
  "captures": [{"file": "$NAME.pcap", "where": "ingress of both bridge ports (what r1 and r2 sent) and both directions at r3's interface (the r1–r3 session), merged"}],
  "faults": [{"what": "$FAULT_TEXT", "command": "ip -n ps-sw link set pssw2 nomaster", "epoch_ns": $FAULT_NS}],
  "observed": {"frr_bgp_at_end": "$FRR_BGP_STATE"},
  "facts": [
    {"id": "diag1-r1", "text": "FRR sends Down with diag 1 within 4 s of the fault", "check": {"kind": "bfd_seen", "src": "$A", "after_fault": 0, "within": 4.0, "match": {"peerscope.bfd.sta_name": "Down", "bfd.diag": 1}}},
    {"id": "bgp-teardown-r1", "text": "FRR tears its BGP session to BIRD down within 1 s of its BFD Down", "decoder": "tshark", "check": {"kind": "bgp_teardown", "src": "$A", "diag": 1, "within": 1.0}}
  ]
}
JSON
