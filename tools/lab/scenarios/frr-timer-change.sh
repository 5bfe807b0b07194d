# FRR's BFD timers changed with vtysh while Up: Poll Sequence.
FAMILY=4 FAULT=timers
source "$LAB_DIR/frr-bird.inc"
python3 "$LAB_DIR/manifest.py" "$OUT/$NAME.json" <<JSON
{
  "scenario": "$NAME",
  "description": "FRR and BIRD Up as in frr-bird-v4; then FRR's BFD profile is changed with vtysh while Up (transmit-interval 300 -> 600 ms, receive-interval 300 -> 400 ms): FRR sends a Poll Sequence (P set) with the new values, BIRD answers with a Final (F), and the session stays Up.",
  "daemons": $(lab_versions),
  "topology": $TOPOLOGY,
  "bfd": $BFD_CONFIG,
  "bfd_after_change": {"r1": {"desired_min_tx_us": 600000, "required_min_rx_us": 400000, "multiplier": 3}},
  "bgp": $BGP_CONFIG,
  "captures": [$MAIN_CAPTURE],
  "faults": [{"what": "$FAULT_TEXT", "epoch_ns": $FAULT_NS}],
  "facts": [
    {"id": "old-timers", "text": "before the change FRR advertises 300/300 ms x3", "check": {"kind": "bfd_params", "src": "$A", "before_fault": 0, "desired_tx": 300000, "required_rx": 300000, "mult": 3}},
    {"id": "poll-final", "text": "FRR sends a Poll within 3 s of the change and BIRD answers it with a Final", "check": {"kind": "bfd_poll_final", "src": "$A", "after_fault": 0, "within": 3.0}},
    {"id": "poll-new-values", "text": "the Poll carries the new values 600/400 ms", "check": {"kind": "bfd_seen", "src": "$A", "after_fault": 0, "match": {"bfd.flags.p": true, "bfd.desired_min_tx_interval": 600000, "bfd.required_min_rx_interval": 400000}}},
    {"id": "new-timers", "text": "after the change FRR advertises 600/400 ms x3", "check": {"kind": "bfd_params", "src": "$A", "after_fault": 0, "desired_tx": 600000, "required_rx": 400000, "mult": 3}},
    {"id": "r2-stays-up", "text": "BIRD stays Up through the change", "check": {"kind": "bfd_all", "src": "$B", "after_fault": 0, "match": {"peerscope.bfd.sta_name": "Up"}}},
    {"id": "r1-stays-up", "text": "FRR stays Up through the change", "check": {"kind": "bfd_all", "src": "$A", "after_fault": 0, "match": {"peerscope.bfd.sta_name": "Up"}}},
    {"id": "one-session", "text": "FRR keeps one discriminator", "check": {"kind": "bfd_distinct", "src": "$A", "field": "bfd.my_discriminator", "count": 1}}
  ]
}
JSON
