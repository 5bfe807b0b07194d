# IPv6 single hop on a /127, eBGP over IPv6, BFD.
FAMILY=6 FAULT=none
source "$LAB_DIR/frr-bird.inc"
python3 "$LAB_DIR/manifest.py" "$OUT/$NAME.json" <<JSON
{
  "scenario": "$NAME",
  "description": "IPv6 single hop on a /127 (2001:db8:12:3::7ac2:d64a/127 on FRR, 2001:db8:12:3::7ac2:d64b/127 on BIRD, nodad), eBGP over IPv6 with BFD, same timers as frr-bird-v4.",
  "daemons": $(lab_versions),
  "topology": $TOPOLOGY,
  "bfd": $BFD_CONFIG,
  "bgp": $BGP_CONFIG,
  "captures": [$MAIN_CAPTURE],
  "faults": [],
  "observed": {"frr_bgp_at_end": "$FRR_BGP_STATE"},
  "facts": [
    {"id": "bfd-up-r1", "text": "FRR sends BFD Up over IPv6", "check": {"kind": "bfd_seen", "src": "$A", "match": {"peerscope.bfd.sta_name": "Up", "ip.version": 6}}},
    {"id": "bfd-up-r2", "text": "BIRD sends BFD Up over IPv6", "check": {"kind": "bfd_seen", "src": "$B", "match": {"peerscope.bfd.sta_name": "Up", "ip.version": 6}}},
    {"id": "hop-limit", "text": "single-hop BFD is sent with hop limit 255", "check": {"kind": "bfd_all", "match": {"ip.ttl": 255, "ip.version": 6}}},
    {"id": "port-3784", "text": "control packets go to UDP 3784", "check": {"kind": "bfd_all", "match": {"udp.dstport": 3784}}},
    {"id": "timers-r1", "text": "FRR advertises 300/300 ms x3", "check": {"kind": "bfd_params", "src": "$A", "desired_tx": 300000, "required_rx": 300000, "mult": 3}},
    {"id": "timers-r2", "text": "BIRD advertises 200/500 ms x5", "check": {"kind": "bfd_params", "src": "$B", "desired_tx": 200000, "required_rx": 500000, "mult": 5}},
    {"id": "one-session", "text": "FRR uses one discriminator", "check": {"kind": "bfd_distinct", "src": "$A", "field": "bfd.my_discriminator", "count": 1}},
    {"id": "bgp-keepalives-r1", "text": "BGP over IPv6: KEEPALIVEs from FRR's /127 address", "decoder": "tshark", "check": {"kind": "bgp_messages", "src": "$A", "type": 4, "min": 2}},
    {"id": "bgp-announce-r1", "text": "FRR announces 2001:db8:100::/48 (MP_REACH_NLRI)", "decoder": "tshark", "check": {"kind": "bgp_prefixes", "src": "$A", "which": "announced", "min": 1, "max": 1}}
  ]
}
JSON
