# FRR 8.4 quirk: "neighbor X bfd" in the startup config makes bfdd re-create the session when BGP
# comes up (a flap with a new discriminator).
FAMILY=4 FAULT=none BFD_EARLY=yes
source "$LAB_DIR/frr-bird.inc"
python3 "$LAB_DIR/manifest.py" "$OUT/$NAME.json" <<JSON
{
  "scenario": "$NAME",
  "description": "As frr-bird-v4, but 'neighbor $B bfd profile lab' is in FRR's startup config, and BIRD runs a standalone BFD session to FRR ('neighbor $A' in protocol bfd) with its BGP disabled until BFD is Up. Then BIRD's BGP is enabled (birdc enable r1, the recorded fault): once BGP is Established, FRR 8.4 bgpd registers the BFD session again and bfdd replaces the Up session with a new one (new My Discriminator): a BFD flap caused by BGP coming up. FRR's old session sends Down (diag 3), BIRD follows (Down, diag 3) and, as BFD went down, tears its BGP session down (NOTIFICATION) and waits its error wait time (60 s by default) before BGP may come back; the new FRR session comes Up with BIRD's unchanged session.",
  "daemons": $(lab_versions),
  "topology": $TOPOLOGY,
  "bfd": $BFD_CONFIG,
  "bgp": $BGP_CONFIG,
  "captures": [$MAIN_CAPTURE],
  "faults": [{"what": "BIRD's BGP protocol enabled (birdc enable r1) while BFD is Up", "epoch_ns": $BGP_ENABLE_NS}],
  "observed": {"frr_bgp_at_end": "$FRR_BGP_STATE"},
  "facts": [
    {"id": "up-before-bgp", "text": "BFD is Up on both sides before BGP is enabled", "check": {"kind": "bfd_seen", "src": "$A", "before_fault": 0, "match": {"peerscope.bfd.sta_name": "Up"}}},
    {"id": "one-session-before", "text": "FRR uses one discriminator before BGP comes up", "check": {"kind": "bfd_distinct", "src": "$A", "before_fault": 0, "field": "bfd.my_discriminator", "count": 1}},
    {"id": "two-sessions-r1", "text": "FRR uses two discriminators over the capture (the session was re-created)", "check": {"kind": "bfd_distinct", "src": "$A", "field": "bfd.my_discriminator", "min": 2}},
    {"id": "r1-down", "text": "FRR's session goes Down within 5 s of BGP being enabled", "check": {"kind": "bfd_seen", "src": "$A", "after_fault": 0, "within": 5.0, "match": {"peerscope.bfd.sta_name": "Down"}}},
    {"id": "r2-down", "text": "BIRD's session goes Down within 5 s of BGP being enabled", "check": {"kind": "bfd_seen", "src": "$B", "after_fault": 0, "within": 5.0, "match": {"peerscope.bfd.sta_name": "Down"}}},
    {"id": "r1-new-discriminator", "text": "FRR's packets after BGP is enabled carry two discriminators (old session, then its replacement)", "check": {"kind": "bfd_distinct", "src": "$A", "after_fault": 0, "field": "bfd.my_discriminator", "min": 2}},
    {"id": "r1-up-again", "text": "FRR's new session is Up again 3 s after BGP was enabled", "check": {"kind": "bfd_seen", "src": "$A", "after_fault": 0, "delay": 3.0, "match": {"peerscope.bfd.sta_name": "Up"}}},
    {"id": "bird-bgp-teardown", "text": "BIRD tears BGP down because BFD went down: NOTIFICATION/FIN/RST from BIRD within 1 s of its BFD Down (diag 3)", "decoder": "tshark", "check": {"kind": "bgp_teardown", "src": "$B", "diag": 3, "within": 1.0}},
    {"id": "bfd-up-r2", "text": "BIRD sends Up", "check": {"kind": "bfd_seen", "src": "$B", "match": {"peerscope.bfd.sta_name": "Up"}}},
    {"id": "timers-r1", "text": "FRR advertises 300/300 ms x3 while Up", "check": {"kind": "bfd_params", "src": "$A", "desired_tx": 300000, "required_rx": 300000, "mult": 3}}
  ]
}
JSON
