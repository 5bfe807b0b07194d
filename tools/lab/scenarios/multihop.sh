HOPS=1 MIN_TTL=60
source "$(dirname "${BASH_SOURCE[0]}")/../multihop.inc"
python3 "$(dirname "${BASH_SOURCE[0]}")/../manifest.py" "$OUT/$NAME.json" <<JSON
{
  "scenario": "$NAME",
  "description": "Multihop BFD (RFC 5883, UDP 4784) between FRR and BIRD through one router namespace (ps-m1, forwarding), under multihop eBGP. BIRD sends multihop BFD with TTL 64; FRR's minimum TTL is lowered to 60 so the session comes up (see multihop-ttl for the default).",
  "daemons": $(lab_versions),
  "topology": {"r1": {"namespace": "ps-r1", "daemon": "frr", "address": "$A", "asn": 65001},
               "m1": {"namespace": "ps-m1", "role": "router", "addresses": ["198.51.100.2/30", "203.0.113.1/30"]},
               "r2": {"namespace": "ps-r2", "daemon": "bird", "address": "$B", "asn": 65002}},
  "bfd": {"r1": {"desired_min_tx_us": 300000, "required_min_rx_us": 300000, "multiplier": 3, "minimum_ttl": 60},
          "r2": {"desired_min_tx_us": 300000, "required_min_rx_us": 300000, "multiplier": 3}},
  "ttl": {"r1_frr_sends": 255, "r2_bird_sends": 64, "routers_on_path": 1, "r1_receives_from_r2": 63, "r2_receives_from_r1": 254,
          "r1_frr_minimum_ttl": 60, "r1_frr_minimum_ttl_source": "minimum-ttl 60 in FRR's bfd profile", "r2_bird_accepts": "TTL 254 from FRR (it answers Init/Up); BIRD insists on 255 only for single hop"},
  "captures": [{"file": "$NAME.pcap", "where": "FRR's interface psr1e0, both directions"}],
  "faults": [],
  "observed": {"frr_bfd_status": "$FRR_BFD"},
  "facts": [
    {"id": "port-4784", "text": "multihop control packets go to UDP 4784 (RFC 5883)", "check": {"kind": "bfd_all", "match": {"udp.dstport": 4784}}},
    {"id": "up-r1", "text": "FRR's multihop session comes Up", "check": {"kind": "bfd_seen", "src": "$A", "match": {"peerscope.bfd.sta_name": "Up"}}},
    {"id": "up-r2", "text": "BIRD's multihop session comes Up", "check": {"kind": "bfd_seen", "src": "$B", "match": {"peerscope.bfd.sta_name": "Up"}}},
    {"id": "ttl-r2", "text": "BIRD's packets arrive one hop down from TTL 64 (TTL 63)", "check": {"kind": "bfd_all", "src": "$B", "match": {"ip.ttl": 63}}},
    {"id": "ttl-r1", "text": "FRR sends multihop BFD with TTL 255", "check": {"kind": "bfd_all", "src": "$A", "match": {"ip.ttl": 255}}},
    {"id": "timers-r1", "text": "FRR advertises 300/300 ms x3 while Up", "check": {"kind": "bfd_params", "src": "$A", "desired_tx": 300000, "required_rx": 300000, "mult": 3}},
    {"id": "timers-r2", "text": "BIRD advertises 300/300 ms x3 while Up", "check": {"kind": "bfd_params", "src": "$B", "desired_tx": 300000, "required_rx": 300000, "mult": 3}},
    {"id": "bgp-keepalives", "text": "multihop eBGP is Established (KEEPALIVEs both ways)", "decoder": "tshark", "check": {"kind": "bgp_messages", "type": 4, "min": 3}}
  ]
}
JSON
