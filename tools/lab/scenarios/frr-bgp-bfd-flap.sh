# FRR 8.4 quirk: "neighbor X bfd" in the startup config makes bfdd re-create the session when BGP
# comes up (a flap with a new discriminator).
FAMILY=4 FAULT=none BFD_EARLY=yes
source "$LAB_DIR/frr-bird.inc"
python3 "$LAB_DIR/manifest.py" "$OUT/$NAME.json" <<JSON
{
  "scenario": "$NAME",
  "description": "As frr-bird-v4, but 'neighbor $B bfd profile lab' is in FRR's startup config: FRR 8.4 bgpd registers the BFD session before BGP is up and registers it again once BGP is Established; bfdd then replaces the session, so FRR's packets show a second My Discriminator (the first session is torn down).",
  "daemons": $(lab_versions),
  "topology": $TOPOLOGY,
  "bfd": $BFD_CONFIG,
  "bgp": $BGP_CONFIG,
  "captures": [$MAIN_CAPTURE],
  "faults": [],
  "observed": {"frr_bgp_at_end": "$FRR_BGP_STATE"},
  "facts": [
    {"id": "two-sessions-r1", "text": "FRR uses two discriminators (the session was re-created)", "check": {"kind": "bfd_distinct", "src": "$A", "field": "bfd.my_discriminator", "min": 2}},
    {"id": "bfd-up-r1", "text": "FRR ends Up", "check": {"kind": "bfd_seen", "src": "$A", "match": {"bfd.sta_name": "Up"}}},
    {"id": "bfd-up-r2", "text": "BIRD sends Up", "check": {"kind": "bfd_seen", "src": "$B", "match": {"bfd.sta_name": "Up"}}},
    {"id": "timers-r1", "text": "FRR advertises 300/300 ms x3 while Up", "check": {"kind": "bfd_params", "src": "$A", "desired_tx": 300000, "required_rx": 300000, "mult": 3}}
  ]
}
JSON
