HOPS=1
source "$(dirname "${BASH_SOURCE[0]}")/../multihop.inc"
python3 "$(dirname "${BASH_SOURCE[0]}")/../manifest.py" "$OUT/$NAME.json" <<JSON
{
  "scenario": "$NAME",
  "description": "As multihop, but FRR keeps its default multihop minimum TTL of 254: BIRD sends multihop BFD with TTL 64, its packets reach FRR with TTL 63, FRR discards them, and the session never comes up although BGP is Established.",
  "daemons": $(lab_versions),
  "topology": {"r1": {"namespace": "ps-r1", "daemon": "frr", "address": "$A", "asn": 65001},
               "m1": {"namespace": "ps-m1", "role": "router"},
               "r2": {"namespace": "ps-r2", "daemon": "bird", "address": "$B", "asn": 65002}},
  "bfd": {"r1": {"desired_min_tx_us": 300000, "required_min_rx_us": 300000, "multiplier": 3, "minimum_ttl": 254},
          "r2": {"desired_min_tx_us": 300000, "required_min_rx_us": 300000, "multiplier": 3}},
  "ttl": {"r1_frr_sends": 255, "r2_bird_sends": 64, "routers_on_path": 1, "r1_receives_from_r2": 63, "r2_receives_from_r1": 254,
          "r1_frr_minimum_ttl": 254, "r1_frr_minimum_ttl_source": "FRR's default for multihop peers", "r2_bird_accepts": "TTL 254 from FRR (it answers Init/Up); BIRD insists on 255 only for single hop"},
  "captures": [{"file": "$NAME.pcap", "where": "FRR's interface psr1e0, both directions"}],
  "faults": [],
  "observed": {"frr_bfd_status": "$FRR_BFD"},
  "facts": [
    {"id": "ttl-63", "text": "BIRD's packets arrive at FRR with TTL 63 (sent with 64, one router on the path), below FRR's minimum TTL 254", "check": {"kind": "bfd_all", "src": "$B", "match": {"ip.ttl": 63}}},
    {"id": "ttl-r1", "text": "FRR sends multihop BFD with TTL 255", "check": {"kind": "bfd_all", "src": "$A", "match": {"ip.ttl": 255}}},
    {"id": "port-4784", "text": "multihop control packets go to UDP 4784", "check": {"kind": "bfd_all", "match": {"udp.dstport": 4784}}},
    {"id": "r1-never-hears", "text": "FRR never reflects BIRD's discriminator (Your Discriminator stays 0: it discards BIRD's packets)", "check": {"kind": "bfd_all", "src": "$A", "match": {"bfd.your_discriminator": 0}}},
    {"id": "never-up-r1", "text": "FRR never goes Up", "check": {"kind": "bfd_none", "src": "$A", "match": {"peerscope.bfd.sta_name": "Up"}}},
    {"id": "never-up-r2", "text": "BIRD never goes Up either", "check": {"kind": "bfd_none", "src": "$B", "match": {"peerscope.bfd.sta_name": "Up"}}},
    {"id": "r2-hears", "text": "BIRD hears FRR (FRR's TTL 255 passes BIRD's check): it answers Init", "check": {"kind": "bfd_seen", "src": "$B", "match": {"peerscope.bfd.sta_name": "Init"}}},
    {"id": "bgp-up", "text": "multihop eBGP is Established regardless (KEEPALIVEs flow)", "decoder": "tshark", "check": {"kind": "bgp_messages", "type": 4, "min": 3}}
  ]
}
JSON
