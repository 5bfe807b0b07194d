# Single-hop IPv4 eBGP between FRR and BIRD with BFD, asymmetric timers; no fault.
FAMILY=4 FAULT=none
source "$LAB_DIR/frr-bird.inc"
python3 "$LAB_DIR/manifest.py" "$OUT/$NAME.json" <<JSON
{
  "scenario": "$NAME",
  "description": "Single-hop IPv4 eBGP between FRR (r1) and BIRD (r2) with BFD; asymmetric timers (FRR 300/300 ms x3, BIRD 200 tx / 500 rx x5), so the negotiated interval differs per direction. BFD is enabled on the FRR neighbor after BGP is Established (no FRR re-creation flap).",
  "daemons": $(lab_versions),
  "topology": $TOPOLOGY,
  "bfd": $BFD_CONFIG,
  "bgp": $BGP_CONFIG,
  "captures": [$MAIN_CAPTURE],
  "faults": [],
  "observed": {"frr_bgp_at_end": "$FRR_BGP_STATE"},
  "facts": [
    {"id": "bfd-up-r1", "text": "FRR sends BFD state Up", "check": {"kind": "bfd_seen", "src": "$A", "match": {"peerscope.bfd.sta_name": "Up"}}},
    {"id": "bfd-up-r2", "text": "BIRD sends BFD state Up", "check": {"kind": "bfd_seen", "src": "$B", "match": {"peerscope.bfd.sta_name": "Up"}}},
    {"id": "timers-r1", "text": "FRR advertises desired min tx 300 ms, required min rx 300 ms, multiplier 3 while Up", "check": {"kind": "bfd_params", "src": "$A", "desired_tx": 300000, "required_rx": 300000, "mult": 3}},
    {"id": "timers-r2", "text": "BIRD advertises desired min tx 200 ms, required min rx 500 ms, multiplier 5 while Up", "check": {"kind": "bfd_params", "src": "$B", "desired_tx": 200000, "required_rx": 500000, "mult": 5}},
    {"id": "ttl-255", "text": "single-hop BFD is sent with TTL 255 (RFC 5881 GTSM)", "check": {"kind": "bfd_all", "match": {"ip.ttl": 255}}},
    {"id": "port-3784", "text": "control packets go to UDP 3784", "check": {"kind": "bfd_all", "match": {"udp.dstport": 3784}}},
    {"id": "no-auth", "text": "no authentication section", "check": {"kind": "bfd_all", "match": {"bfd.flags.a": false}}},
    {"id": "one-session-r1", "text": "FRR uses one discriminator (no flap: bfd enabled after Established)", "check": {"kind": "bfd_distinct", "src": "$A", "field": "bfd.my_discriminator", "count": 1}},
    {"id": "one-session-r2", "text": "BIRD uses one discriminator", "check": {"kind": "bfd_distinct", "src": "$B", "field": "bfd.my_discriminator", "count": 1}},
    {"id": "never-down-r2", "text": "BIRD never sends AdminDown", "check": {"kind": "bfd_none", "src": "$B", "match": {"peerscope.bfd.sta_name": "AdminDown"}}},
    {"id": "bgp-open-r1", "text": "FRR sends a BGP OPEN", "decoder": "tshark", "check": {"kind": "bgp_messages", "src": "$A", "type": 1, "min": 1}},
    {"id": "bgp-keepalives", "text": "BGP KEEPALIVEs flow (keepalive 3 s)", "decoder": "tshark", "check": {"kind": "bgp_messages", "type": 4, "min": 4}},
    {"id": "bgp-announce-r1", "text": "FRR announces 198.51.100.0/24", "decoder": "tshark", "check": {"kind": "bgp_prefixes", "src": "$A", "which": "announced", "min": 1, "max": 1}}
  ]
}
JSON
