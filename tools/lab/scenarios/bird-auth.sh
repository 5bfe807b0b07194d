# Two BIRDs joined by five veth pairs, one BFD session per link, each with another RFC 5880
# authentication type (FRR 8.4 bfdd has no authentication). Captured on each link at a1, both
# directions, merged.
lab_require bird birdc tcpdump mergecap
lab_init
lab_ns ps-a1; lab_ns ps-a2
types=("simple" "keyed md5" "meticulous keyed md5" "keyed sha1" "meticulous keyed sha1")
names=("simple password" "keyed MD5" "meticulous keyed MD5" "keyed SHA1" "meticulous keyed SHA1")
lengths=(40 48 48 52 52)  # 24-byte header + auth section (simple: 3 + password length)
secret="peerscope-lab"    # 13 characters
addr() { echo "198.51.100.$((4 * $1 + $2))"; }  # link i: 198.51.100.(4i+1)/30 on a1, .(4i+2) on a2
for i in 0 1 2 3 4; do
  lab_link ps-a1 psa1l$i ps-a2 psa2l$i
  lab_addr ps-a1 psa1l$i "$(addr $i 1)/30"
  lab_addr ps-a2 psa2l$i "$(addr $i 2)/30"
  lab_capture ps-a1 psa1l$i "$LAB_TMP/link$i.pcap" inout udp
done
sleep 1
bird_config() {  # bird_config ROUTER_ID IFPREFIX PEER_HOST
  local config="router id $1;
protocol device {}
protocol bfd {"
  local i
  for i in 0 1 2 3 4; do
    config+="
  interface \"$2l$i\" { min rx interval 300 ms; min tx interval 300 ms; multiplier 3;
    authentication ${types[$i]}; password \"$secret\" { id $((i + 1)); }; };
  neighbor $(addr $i $3) dev \"$2l$i\";"
  done
  printf '%s\n}\n' "$config"
}
lab_bird ps-a1 a1 "$(bird_config "$(addr 0 1)" psa1 2)"
lab_bird ps-a2 a2 "$(bird_config "$(addr 0 2)" psa2 1)"
all_up() { [[ $(lab_birdc a1 show bfd sessions | grep -c ' Up ') -ge 5 && $(lab_birdc a2 show bfd sessions | grep -c ' Up ') -ge 5 ]]; }
lab_wait 30 "five authenticated BFD sessions Up" all_up
sleep 9
lab_stop_captures
mergecap -F pcap -w "$OUT/$NAME.pcap" "$LAB_TMP"/link*.pcap

auth_json="" facts=""
for i in 0 1 2 3 4; do
  a1=$(addr $i 1) a2=$(addr $i 2) type=$((i + 1)) key=$((i + 1))
  auth_json+="${auth_json:+,
    }{\"link\": $i, \"a1\": \"$a1\", \"a2\": \"$a2\", \"bird_config\": \"authentication ${types[$i]}; password \\\"$secret\\\" { id $key; }\", \"type\": $type, \"name\": \"${names[$i]}\", \"key_id\": $key, \"secret\": \"$secret\"}"
  for side in a1 a2; do
    ip=${!side}
    facts+="
    {\"id\": \"auth-$type-$side\", \"text\": \"link $i: every packet from $side carries auth type $type (${names[$i]}) with key ID $key, length ${lengths[$i]}\", \"check\": {\"kind\": \"bfd_all\", \"src\": \"$ip\", \"match\": {\"bfd.flags.a\": true, \"bfd.auth.type\": $type, \"bfd.auth.key\": $key, \"bfd.message_length\": ${lengths[$i]}}}},
    {\"id\": \"up-$type-$side\", \"text\": \"link $i: $side reaches Up with ${names[$i]}\", \"check\": {\"kind\": \"bfd_seen\", \"src\": \"$ip\", \"match\": {\"peerscope.bfd.sta_name\": \"Up\"}}},"
  done
done
python3 "$LAB_DIR/manifest.py" "$OUT/$NAME.json" <<JSON
{
  "scenario": "$NAME",
  "description": "BIRD to BIRD over five links, one BFD session per link, each with another RFC 5880 authentication type (simple password, keyed MD5, meticulous keyed MD5, keyed SHA1, meticulous keyed SHA1). Same secret on every link; the key ID is the auth type number. Timers 300/300 ms x3 on both sides.",
  "daemons": $(lab_versions),
  "topology": {"a1": {"namespace": "ps-a1", "daemon": "bird", "interfaces": "psa1l0..psa1l4", "addresses": "198.51.100.(4i+1)/30 on psa1l<i>"},
               "a2": {"namespace": "ps-a2", "daemon": "bird", "interfaces": "psa2l0..psa2l4", "addresses": "198.51.100.(4i+2)/30 on psa2l<i>"}},
  "bfd": {"a1": {"desired_min_tx_us": 300000, "required_min_rx_us": 300000, "multiplier": 3},
          "a2": {"desired_min_tx_us": 300000, "required_min_rx_us": 300000, "multiplier": 3}},
  "auth": [
    $auth_json
  ],
  "captures": [{"file": "$NAME.pcap", "where": "each link's interface on a1 (psa1l0..4), both directions, merged with mergecap"}],
  "faults": [],
  "facts": [$facts
    {"id": "single-hop", "text": "TTL 255 on every packet", "check": {"kind": "bfd_all", "match": {"ip.ttl": 255, "udp.dstport": 3784}}}
  ]
}
JSON
