FAMILY=6 FAULT=none
source "$(dirname "${BASH_SOURCE[0]}")/../frr-bird.inc"
python3 "$(dirname "${BASH_SOURCE[0]}")/../manifest.py" "$OUT/$NAME.json" <<JSON
{
  "scenario": "$NAME",
  "description": "IPv6 single hop on a /127 (2001:db8:12:3::7ac2:d64a/127 and ::d64b), eBGP over IPv6 between FRR and BIRD with BFD.",
  "daemons": $(lab_versions),
  "topology": {"r1": {"namespace": "ps-r1", "daemon": "frr", "address": "$A", "asn": 65001},
               "r2": {"namespace": "ps-r2", "daemon": "bird", "address": "$B", "asn": 65002}},
  "bfd": {"r1": {"desired_min_tx_us": 300000, "required_min_rx_us": 300000, "multiplier": 3},
          "r2": {"desired_min_tx_us": 200000, "required_min_rx_us": 500000, "multiplier": 5}},
  "captures": [{"file": "$NAME.pcap", "where": "ingress of both bridge ports, merged"}],
  "faults": [],
  "facts": [
    {"id": "bfd-up-r1", "text": "FRR sends BFD Up over IPv6", "check": {"kind": "bfd_state_seen", "src": "$A", "state": "Up"}},
    {"id": "bfd-up-r2", "text": "BIRD sends BFD Up over IPv6", "check": {"kind": "bfd_state_seen", "src": "$B", "state": "Up"}},
    {"id": "hop-limit", "text": "hop limit 255", "check": {"kind": "bfd_ttl", "ttl": 255}},
    {"id": "timers-r2", "text": "BIRD advertises 200/500 ms x5", "check": {"kind": "bfd_params", "src": "$B", "desired_tx": 200000, "required_rx": 500000, "mult": 5}}
  ]
}
JSON
