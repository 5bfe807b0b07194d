# FRR shuts its BFD peer administratively, then re-enables it.
FAMILY=4 FAULT=admin-down
source "$LAB_DIR/frr-bird.inc"
python3 "$LAB_DIR/manifest.py" "$OUT/$NAME.json" <<JSON
{
  "scenario": "$NAME",
  "description": "FRR and BIRD Up as in frr-bird-v4; FRR shuts its BFD peer administratively ('shutdown' in 'bfd / peer $B'): it sends AdminDown (FRR 8.4: with diag 0 although RFC 5880 section 6.8.16 asks for an appropriate diag, and only two packets at once rather than for a Detection Time) and then stays silent; BIRD goes Down with diag 3 (Neighbor Signaled Session Down), tears its BGP session down (NOTIFICATION) and replaces its BFD session (new discriminator, Down). 6 s later FRR re-enables the peer ('no shutdown') and the session comes back Up.",
  "daemons": $(lab_versions),
  "topology": $TOPOLOGY,
  "bfd": $BFD_CONFIG,
  "bgp": $BGP_CONFIG,
  "captures": [$MAIN_CAPTURE],
  "faults": [{"what": "$FAULT_TEXT", "epoch_ns": $FAULT_NS}, {"what": "FRR: 'no shutdown' in bfd peer $B", "epoch_ns": $ENABLE_NS}],
  "facts": [
    {"id": "up-before", "text": "FRR is Up before the shutdown", "check": {"kind": "bfd_seen", "src": "$A", "before_fault": 0, "match": {"peerscope.bfd.sta_name": "Up"}}},
    {"id": "admin-down", "text": "FRR sends AdminDown within 2 s of the shutdown", "check": {"kind": "bfd_seen", "src": "$A", "after_fault": 0, "within": 2.0, "match": {"peerscope.bfd.sta_name": "AdminDown"}}},
    {"id": "frr-admin-down-diag", "text": "observed FRR 8.4 quirk: its AdminDown packets carry diag 0 (No Diagnostic), not 7 (Administratively Down)", "check": {"kind": "bfd_all", "src": "$A", "after_fault": 0, "before_fault": 1, "match": {"peerscope.bfd.sta_name": "AdminDown", "bfd.diag": 0}}},
    {"id": "frr-admin-down-brief", "text": "observed FRR 8.4 quirk: it sends at most 3 packets (AdminDown) while shut, not AdminDown for a whole Detection Time (RFC 5880 section 6.8.16 SHOULD)", "check": {"kind": "bfd_seen", "src": "$A", "after_fault": 0, "before_fault": 1, "min": 1, "max": 3}},
    {"id": "no-up-while-shut", "text": "FRR sends no Up between the shutdown (+0.5 s) and the re-enable", "check": {"kind": "bfd_seen", "src": "$A", "after_fault": 0, "delay": 0.5, "before_fault": 1, "match": {"peerscope.bfd.sta_name": "Up"}, "max": 0}},
    {"id": "bird-diag3", "text": "BIRD goes Down with diag 3 (Neighbor Signaled Session Down)", "check": {"kind": "bfd_seen", "src": "$B", "after_fault": 0, "within": 3.0, "match": {"peerscope.bfd.sta_name": "Down", "bfd.diag": 3}}},
    {"id": "back-up-r1", "text": "FRR is Up again after the re-enable", "check": {"kind": "bfd_seen", "src": "$A", "after_fault": 1, "match": {"peerscope.bfd.sta_name": "Up"}}},
    {"id": "back-up-r2", "text": "BIRD is Up again after the re-enable", "check": {"kind": "bfd_seen", "src": "$B", "after_fault": 1, "match": {"peerscope.bfd.sta_name": "Up"}}},
    {"id": "bird-bgp-teardown", "text": "observed BIRD 2.0.12 behaviour: it tears BGP down when the neighbor signals AdminDown (NOTIFICATION/FIN within 1 s of its Down, diag 3), although RFC 5882 section 3.2 advises clients not to treat a neighbor's AdminDown as a path failure", "decoder": "tshark", "check": {"kind": "bgp_teardown", "src": "$B", "diag": 3, "within": 1.0}}
  ]
}
JSON
