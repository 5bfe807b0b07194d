FAMILY=4 FAULT=admin-down
source "$(dirname "${BASH_SOURCE[0]}")/../frr-bird.inc"
python3 "$(dirname "${BASH_SOURCE[0]}")/../manifest.py" "$OUT/$NAME.json" <<JSON
{
  "scenario": "$NAME",
  "description": "FRR and BIRD Up; FRR shuts its BFD peer administratively (AdminDown), BIRD follows to Down with diag 3; 6 s later FRR re-enables it and the session comes back.",
  "daemons": $(lab_versions),
  "topology": {"r1": {"namespace": "ps-r1", "daemon": "frr", "address": "$A", "asn": 65001},
               "r2": {"namespace": "ps-r2", "daemon": "bird", "address": "$B", "asn": 65002}},
  "bfd": {"r1": {"desired_min_tx_us": 300000, "required_min_rx_us": 300000, "multiplier": 3},
          "r2": {"desired_min_tx_us": 200000, "required_min_rx_us": 500000, "multiplier": 5}},
  "captures": [{"file": "$NAME.pcap", "where": "ingress of both bridge ports, merged"}],
  "faults": [{"what": "$FAULT_TEXT", "epoch_ns": $FAULT_NS}, {"what": "FRR: 'no shutdown' in bfd peer $B", "epoch_ns": $ENABLE_NS}],
  "facts": [
    {"id": "admin-down", "text": "FRR sends AdminDown after the shutdown", "check": {"kind": "bfd_state_after_fault", "src": "$A", "state": "AdminDown", "fault": 0}},
    {"id": "bird-diag3", "text": "BIRD goes Down with diag 3 (neighbor signaled session down)", "check": {"kind": "bfd_state_after_fault", "src": "$B", "state": "Down", "diag": 3, "fault": 0}},
    {"id": "back-up", "text": "the session is Up again after the re-enable", "check": {"kind": "bfd_state_after_fault", "src": "$A", "state": "Up", "fault": 1}}
  ]
}
JSON
