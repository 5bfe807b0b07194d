FAMILY=4 FAULT=timers
source "$(dirname "${BASH_SOURCE[0]}")/../frr-bird.inc"
python3 "$(dirname "${BASH_SOURCE[0]}")/../manifest.py" "$OUT/$NAME.json" <<JSON
{
  "scenario": "$NAME",
  "description": "FRR and BIRD Up as in frr-bird-v4; then FRR's BFD profile is changed with vtysh while Up (tx 300→600 ms, rx 300→400 ms): a Poll Sequence answered by a Final, then the new intervals.",
  "daemons": $(lab_versions),
  "topology": {"r1": {"namespace": "ps-r1", "daemon": "frr", "address": "$A", "asn": 65001},
               "r2": {"namespace": "ps-r2", "daemon": "bird", "address": "$B", "asn": 65002}},
  "bfd": {"r1": {"desired_min_tx_us": 300000, "required_min_rx_us": 300000, "multiplier": 3, "after_change": {"desired_min_tx_us": 600000, "required_min_rx_us": 400000}},
          "r2": {"desired_min_tx_us": 200000, "required_min_rx_us": 500000, "multiplier": 5}},
  "captures": [{"file": "$NAME.pcap", "where": "ingress of both bridge ports, merged"}],
  "faults": [{"what": "$FAULT_TEXT", "epoch_ns": $FAULT_NS}],
  "facts": [
    {"id": "poll-final", "text": "FRR polls after the change and BIRD answers with a Final", "check": {"kind": "bfd_poll_final", "src": "$A", "fault": 0}},
    {"id": "new-timers", "text": "FRR advertises 600/400 ms x3 after the change", "check": {"kind": "bfd_params", "src": "$A", "desired_tx": 600000, "required_rx": 400000, "mult": 3}},
    {"id": "stays-up", "text": "BIRD stays Up through the change", "check": {"kind": "bfd_state_after_fault", "src": "$B", "state": "Up", "fault": 0}},
    {"id": "one-session", "text": "no flap", "check": {"kind": "bfd_discriminators", "src": "$A", "count": 1}}
  ]
}
JSON
