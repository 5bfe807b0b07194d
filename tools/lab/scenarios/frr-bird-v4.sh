FAMILY=4 FAULT=none
source "$(dirname "${BASH_SOURCE[0]}")/../frr-bird.inc"
python3 "$(dirname "${BASH_SOURCE[0]}")/../manifest.py" "$OUT/$NAME.json" <<JSON
{
  "scenario": "$NAME",
  "description": "Single-hop IPv4 eBGP between FRR and BIRD with BFD; asymmetric timers, so the negotiated interval differs per direction. BFD enabled on the FRR neighbor after BGP is Established (no FRR re-creation flap).",
  "daemons": $(lab_versions),
  "topology": {"r1": {"namespace": "ps-r1", "daemon": "frr", "address": "$A", "asn": 65001, "interface": "psr1e0"},
               "r2": {"namespace": "ps-r2", "daemon": "bird", "address": "$B", "asn": 65002, "interface": "psr2e0"},
               "switch": {"namespace": "ps-sw", "bridge": "psbr0", "ports": ["pssw1", "pssw2"]}},
  "bfd": {"r1": {"desired_min_tx_us": 300000, "required_min_rx_us": 300000, "multiplier": 3},
          "r2": {"desired_min_tx_us": 200000, "required_min_rx_us": 500000, "multiplier": 5, "idle_tx_us": 1000000}},
  "bgp": {"hold_time": 9, "keepalive": 3},
  "captures": [{"file": "$NAME.pcap", "where": "ingress of both bridge ports, merged: what each router sent"}],
  "faults": [],
  "observed": {"frr_bgp": "$FRR_BGP_STATE"},
  "facts": [
    {"id": "bfd-up-r1", "text": "FRR sends BFD Up", "check": {"kind": "bfd_state_seen", "src": "$A", "state": "Up"}},
    {"id": "bfd-up-r2", "text": "BIRD sends BFD Up", "check": {"kind": "bfd_state_seen", "src": "$B", "state": "Up"}},
    {"id": "timers-r1", "text": "FRR advertises 300/300 ms x3 while Up", "check": {"kind": "bfd_params", "src": "$A", "desired_tx": 300000, "required_rx": 300000, "mult": 3}},
    {"id": "timers-r2", "text": "BIRD advertises 200/500 ms x5 while Up", "check": {"kind": "bfd_params", "src": "$B", "desired_tx": 200000, "required_rx": 500000, "mult": 5}},
    {"id": "ttl-255", "text": "single-hop BFD is sent with TTL 255", "check": {"kind": "bfd_ttl", "ttl": 255}},
    {"id": "port-3784", "text": "control packets go to UDP 3784", "check": {"kind": "bfd_ports", "dport": 3784}},
    {"id": "one-session", "text": "one BFD session, no flap", "check": {"kind": "bfd_discriminators", "src": "$A", "count": 1}},
    {"id": "bgp-keepalives", "text": "BGP keepalives flow both ways", "check": {"kind": "bgp_messages", "type": 4, "min": 4, "decoder": "tshark"}}
  ]
}
JSON
