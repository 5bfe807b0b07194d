# Two BIRDs joined by five veth pairs, one BFD session per link, each with another authentication
# type (FRR 8.4 bfdd has none). Captured on each link at r1 (both directions), merged.
lab_require bird birdc tcpdump mergecap
lab_init
lab_ns ps-a1; lab_ns ps-a2
types=("simple" "keyed md5" "meticulous keyed md5" "keyed sha1" "meticulous keyed sha1")
secret="peerscope-lab"
ifaces1="" ifaces2=""
for i in 0 1 2 3 4; do
  lab_link ps-a1 psa1l$i ps-a2 psa2l$i
  lab_addr ps-a1 psa1l$i "10.99.$i.1/30"
  lab_addr ps-a2 psa2l$i "10.99.$i.2/30"
  lab_capture ps-a1 psa1l$i "$LAB_TMP/link$i.pcap" inout
done
sleep 1
bird_config() {  # bird_config ROUTER_ID PREFIX LOCAL_OCTET PEER_OCTET
  local config="router id $1;
protocol device {}
protocol bfd {"
  local i
  for i in 0 1 2 3 4; do
    config+="
  interface \"$2l$i\" { min rx interval 300 ms; min tx interval 300 ms; multiplier 3;
    authentication ${types[$i]}; password \"$secret\" { id $((i + 1)); }; };
  neighbor 10.99.$i.$4 dev \"$2l$i\";"
  done
  printf '%s\n}\n' "$config"
}
lab_bird ps-a1 a1 "$(bird_config 10.99.0.1 psa1 1 2)"
lab_bird ps-a2 a2 "$(bird_config 10.99.0.2 psa2 2 1)"
all_up() { [[ $(lab_birdc a1 show bfd sessions | grep -c ' Up ') -ge 5 ]]; }
lab_wait 30 "five authenticated BFD sessions Up" all_up
sleep 8
lab_stop_captures
mergecap -F pcap -w "$OUT/$NAME.pcap" "$LAB_TMP"/link*.pcap
python3 "$(dirname "${BASH_SOURCE[0]}")/../manifest.py" "$OUT/$NAME.json" <<JSON
{
  "scenario": "$NAME",
  "description": "BIRD to BIRD over five links, one BFD session each, each with another RFC 5880 authentication type; the secret is the same on every link, the key ID is the link number + 1.",
  "daemons": $(lab_versions),
  "topology": {"a1": {"namespace": "ps-a1", "daemon": "bird", "addresses": "10.99.N.1/30 on psa1lN"},
               "a2": {"namespace": "ps-a2", "daemon": "bird", "addresses": "10.99.N.2/30 on psa2lN"}},
  "bfd": {"both": {"desired_min_tx_us": 300000, "required_min_rx_us": 300000, "multiplier": 3}},
  "auth": [
    {"link": 0, "type": 1, "name": "simple password", "key_id": 1, "secret": "$secret"},
    {"link": 1, "type": 2, "name": "keyed MD5", "key_id": 2, "secret": "$secret"},
    {"link": 2, "type": 3, "name": "meticulous keyed MD5", "key_id": 3, "secret": "$secret"},
    {"link": 3, "type": 4, "name": "keyed SHA1", "key_id": 4, "secret": "$secret"},
    {"link": 4, "type": 5, "name": "meticulous keyed SHA1", "key_id": 5, "secret": "$secret"}
  ],
  "captures": [{"file": "$NAME.pcap", "where": "each link at a1, both directions, merged"}],
  "faults": [],
  "facts": [
    {"id": "simple", "text": "link 0 uses simple password, key 1", "check": {"kind": "bfd_auth", "src": "10.99.0.1", "type": 1, "key": 1}},
    {"id": "keyed-md5", "text": "link 1 uses keyed MD5, key 2", "check": {"kind": "bfd_auth", "src": "10.99.1.1", "type": 2, "key": 2}},
    {"id": "meticulous-md5", "text": "link 2 uses meticulous keyed MD5, key 3", "check": {"kind": "bfd_auth", "src": "10.99.2.2", "type": 3, "key": 3}},
    {"id": "keyed-sha1", "text": "link 3 uses keyed SHA1, key 4", "check": {"kind": "bfd_auth", "src": "10.99.3.2", "type": 4, "key": 4}},
    {"id": "meticulous-sha1", "text": "link 4 uses meticulous keyed SHA1, key 5", "check": {"kind": "bfd_auth", "src": "10.99.4.1", "type": 5, "key": 5}},
    {"id": "all-up", "text": "every authenticated session comes Up", "check": {"kind": "bfd_state_seen", "src": "10.99.4.2", "state": "Up"}}
  ]
}
JSON
