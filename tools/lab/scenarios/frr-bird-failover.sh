FAMILY=4 FAULT=silent
source "$(dirname "${BASH_SOURCE[0]}")/../frr-bird.inc"
python3 "$(dirname "${BASH_SOURCE[0]}")/../manifest.py" "$OUT/$NAME.json" <<JSON
{
  "scenario": "$NAME",
  "description": "As frr-bird-v4, then the link silently drops everything (bridge port detached, carrier up): both sides detect the loss by BFD (diag 1), FRR tears BGP down. Captured at both bridge ports' ingress (what each side sent, upstream of the loss) and on BIRD's interface.",
  "daemons": $(lab_versions),
  "topology": {"r1": {"namespace": "ps-r1", "daemon": "frr", "address": "$A", "asn": 65001},
               "r2": {"namespace": "ps-r2", "daemon": "bird", "address": "$B", "asn": 65002},
               "switch": {"namespace": "ps-sw", "bridge": "psbr0", "ports": ["pssw1", "pssw2"]}},
  "bfd": {"r1": {"desired_min_tx_us": 300000, "required_min_rx_us": 300000, "multiplier": 3},
          "r2": {"desired_min_tx_us": 200000, "required_min_rx_us": 500000, "multiplier": 5}},
  "detection_time_us": {"at_r1": 1500000, "at_r2": 1500000, "why": "at FRR: BIRD's mult 5 x max(FRR rx 300 ms, BIRD tx 200 ms); at BIRD: FRR's mult 3 x max(BIRD rx 500 ms, FRR tx 300 ms)"},
  "bgp": {"hold_time": 9, "keepalive": 3},
  "captures": [{"file": "$NAME.pcap", "where": "ingress of both bridge ports, merged: what each router sent (upstream of the loss)"}$EXTRA_CAPTURES],
  "faults": [{"what": "$FAULT_TEXT", "epoch_ns": $FAULT_NS}],
  "observed": {"frr_bgp_after": "$FRR_BGP_STATE"},
  "facts": [
    {"id": "bfd-up-both", "text": "BFD Up on both sides before the fault", "check": {"kind": "bfd_state_seen", "src": "$A", "state": "Up", "before_fault": 0}},
    {"id": "bfd-up-r2", "text": "BIRD Up before the fault", "check": {"kind": "bfd_state_seen", "src": "$B", "state": "Up", "before_fault": 0}},
    {"id": "diag1-r1", "text": "FRR declares Down with diag 1 (detection time expired) after the fault", "check": {"kind": "bfd_down_after_fault", "src": "$A", "diag": 1, "fault": 0, "within": 4.0}},
    {"id": "diag1-r2", "text": "BIRD declares Down with diag 1 after the fault", "check": {"kind": "bfd_down_after_fault", "src": "$B", "diag": 1, "fault": 0, "within": 4.0}},
    {"id": "detect-r1", "text": "FRR detects the loss one detection time (1.5 s) after the last packet it heard: 1.5 s minus up to one BIRD interval (300 ms) after the fault", "check": {"kind": "bfd_detection_latency", "src": "$A", "fault": 0, "min": 1.15, "max": 1.8}},
    {"id": "detect-r2", "text": "BIRD detects the loss one detection time (1.5 s) after the last packet it heard: 1.5 s minus up to one FRR interval (500 ms) after the fault", "check": {"kind": "bfd_detection_latency", "src": "$B", "fault": 0, "min": 0.95, "max": 1.8}},
    {"id": "bgp-teardown", "text": "FRR's BGP session is torn down because of BFD (NOTIFICATION or FIN/RST from FRR within 1 s of its BFD Down)", "check": {"kind": "bgp_teardown_after_bfd_down", "src": "$A", "within": 1.0, "decoder": "tshark"}}
  ]
}
JSON
