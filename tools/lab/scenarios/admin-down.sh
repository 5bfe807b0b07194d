# FRR shuts its BFD peer administratively, then re-enables it.
FAMILY=4 FAULT=admin-down
source "$LAB_DIR/frr-bird.inc"
python3 "$LAB_DIR/manifest.py" "$OUT/$NAME.json" <<JSON
{
  "scenario": "$NAME",
  "description": "FRR and BIRD Up as in frr-bird-v4; FRR shuts its BFD peer administratively ('shutdown' in 'bfd / peer $B': AdminDown, diag 7), BIRD follows to Down with diag 3 (Neighbor Signaled Session Down); 6 s later FRR re-enables it ('no shutdown') and the session comes back Up.",
  "daemons": $(lab_versions),
  "topology": $TOPOLOGY,
  "bfd": $BFD_CONFIG,
  "bgp": $BGP_CONFIG,
  "captures": [$MAIN_CAPTURE],
  "faults": [{"what": "$FAULT_TEXT", "epoch_ns": $FAULT_NS}, {"what": "FRR: 'no shutdown' in bfd peer $B", "epoch_ns": $ENABLE_NS}],
  "facts": [
    {"id": "up-before", "text": "FRR is Up before the shutdown", "check": {"kind": "bfd_seen", "src": "$A", "before_fault": 0, "match": {"bfd.sta_name": "Up"}}},
    {"id": "admin-down", "text": "FRR sends AdminDown with diag 7 (Administratively Down) within 2 s of the shutdown", "check": {"kind": "bfd_seen", "src": "$A", "after_fault": 0, "within": 2.0, "match": {"bfd.sta_name": "AdminDown", "bfd.diag": 7}}},
    {"id": "stays-admin-down", "text": "FRR sends nothing but AdminDown until the re-enable", "check": {"kind": "bfd_all", "src": "$A", "after_fault": 0, "delay": 1.0, "before_fault": 1, "match": {"bfd.sta_name": "AdminDown"}}},
    {"id": "bird-diag3", "text": "BIRD goes Down with diag 3 (Neighbor Signaled Session Down)", "check": {"kind": "bfd_seen", "src": "$B", "after_fault": 0, "within": 3.0, "match": {"bfd.sta_name": "Down", "bfd.diag": 3}}},
    {"id": "back-up-r1", "text": "FRR is Up again after the re-enable", "check": {"kind": "bfd_seen", "src": "$A", "after_fault": 1, "match": {"bfd.sta_name": "Up"}}},
    {"id": "back-up-r2", "text": "BIRD is Up again after the re-enable", "check": {"kind": "bfd_seen", "src": "$B", "after_fault": 1, "match": {"bfd.sta_name": "Up"}}}
  ]
}
JSON
