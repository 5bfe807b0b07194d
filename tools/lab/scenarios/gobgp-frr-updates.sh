# GoBGP (g1) announces a few hundred prefixes to FRR (f1) with communities and large communities,
# then withdraws them; small MSS and no GSO on the senders, so the UPDATEs cross TCP segments.
lab_require /usr/lib/frr/zebra /usr/lib/frr/bfdd /usr/lib/frr/bgpd vtysh gobgpd gobgp tcpdump
lab_init
G=203.0.113.1 F=203.0.113.2 MSS=536 API=127.0.0.1:50051
lab_ns ps-g1; lab_ns ps-f1
lab_link ps-g1 psg1e0 ps-f1 psf1e0
lab_addr ps-g1 psg1e0 "$G/30"
lab_addr ps-f1 psf1e0 "$F/30"
for pair in "ps-g1 psg1e0" "ps-f1 psf1e0"; do
  set -- $pair
  # One MSS-sized segment per skb (no GSO/TSO super-packets), and a small advertised MSS on the link
  # route, so a 4 KB UPDATE really is split into segments on the wire.
  ip -n "$1" link set "$2" gso_max_size 1500 gso_max_segs 1
  ip -n "$1" route replace 203.0.113.0/30 dev "$2" proto kernel scope link advmss $MSS
done
lab_capture ps-g1 psg1e0 "$LAB_TMP/at-g1.pcap" inout "tcp port 179"
sleep 1

lab_frr ps-f1 f1 "hostname ps-f1
router bgp 65020
 bgp router-id $F
 no bgp ebgp-requires-policy
 neighbor $G remote-as 65010
 neighbor $G timers 3 9
 address-family ipv4 unicast
  neighbor $G activate
 exit-address-family
!"
mkdir -p "$LAB_TMP/g1"
cat >"$LAB_TMP/g1/gobgpd.toml" <<TOML
[global.config]
  as = 65010
  router-id = "$G"
  local-address-list = ["$G"]
[[neighbors]]
  [neighbors.config]
    neighbor-address = "$F"
    peer-as = 65020
    admin-down = true
  [neighbors.timers.config]
    hold-time = 9
    keepalive-interval = 3
TOML
lab_spawn ps-g1 gobgpd -f "$LAB_TMP/g1/gobgpd.toml" -p --api-hosts "$API" --pprof-disable --disable-stdlog
gobgp_cli() { ip netns exec ps-g1 gobgp -u 127.0.0.1 -p 50051 "$@"; }
lab_wait 15 "gobgpd API" gobgp_cli global

# The table, added while the neighbor is administratively down so it goes out in a few large UPDATEs:
# 256 /32s from 198.51.100.0/24 with community 65010:100; 64 /30s from 192.0.2.0/24 with community
# 65010:200 and large community 65010:1:2.
{
  for i in $(seq 0 255); do echo "198.51.100.$i/32 community 65010:100"; done
  for i in $(seq 0 63); do echo "192.0.2.$((4 * i))/30 community 65010:200 large-community 65010:1:2"; done
} >"$LAB_TMP/g1/routes"
while read -r line; do
  gobgp_cli global rib -a ipv4 add $line nexthop $G >/dev/null
done <"$LAB_TMP/g1/routes"
COUNT=$(gobgp_cli global rib -a ipv4 summary 2>/dev/null | sed -n 's/.*Destination: *\([0-9]*\).*/\1/p')
[[ $COUNT == 320 ]] || { echo "tools/lab: gobgp has $COUNT routes, expected 320" >&2; exit 1; }

received() {  # received N: FRR has N prefixes from GoBGP
  lab_vtysh f1 "show bgp ipv4 unicast summary json" | python3 -c "
import json, sys
peers = json.load(sys.stdin).get('peers', {})
sys.exit(0 if peers.get('$G', {}).get('state') == 'Established' and peers['$G'].get('pfxRcd') == $1 else 1)"
}
ENABLE_NS=$(lab_now_ns)
gobgp_cli neighbor "$F" enable >/dev/null
lab_wait 40 "FRR to receive 320 prefixes from GoBGP" received 320
sleep 3
WITHDRAW_NS=$(lab_now_ns)
gobgp_cli global rib -a ipv4 del all >/dev/null
lab_wait 20 "FRR to see the 320 prefixes withdrawn" received 0
sleep 3
lab_stop_captures
cp "$LAB_TMP/at-g1.pcap" "$OUT/$NAME.pcap"

python3 "$LAB_DIR/manifest.py" "$OUT/$NAME.json" <<JSON
{
  "scenario": "$NAME",
  "description": "eBGP between GoBGP (g1, AS 65010) and FRR bgpd (f1, AS 65020) on one veth pair, no BFD. GoBGP's table of 320 IPv4 prefixes (256 /32s from 198.51.100.0/24 with community 65010:100, 64 /30s from 192.0.2.0/24 with community 65010:200 and large community 65010:1:2) is added while the neighbor is administratively down; enabling it sends the table in large UPDATEs; later all 320 are withdrawn (GoBGP sends one UPDATE per withdrawn prefix). FRR advertises the 320 prefixes back to GoBGP, which drops them (AS-path loop). Both link routes advertise MSS $MSS and both veths have gso_max_size 1500 gso_max_segs 1, so UPDATEs are split across real TCP segments on the wire.",
  "daemons": $(lab_versions),
  "topology": {"g1": {"namespace": "ps-g1", "interface": "psg1e0", "daemon": "gobgpd", "address": "$G/30", "asn": 65010, "api": "$API inside ps-g1"},
               "f1": {"namespace": "ps-f1", "interface": "psf1e0", "daemon": "frr (zebra, bgpd)", "address": "$F/30", "asn": 65020}},
  "bgp": {"g1": {"asn": 65010, "router_id": "$G", "hold_time": 9, "keepalive": 3, "announces": 320,
                 "groups": [{"prefixes": "198.51.100.0/24 as 256 x /32", "community": "65010:100"},
                            {"prefixes": "192.0.2.0/24 as 64 x /30", "community": "65010:200", "large_community": "65010:1:2"}]},
          "f1": {"asn": 65020, "router_id": "$F", "timers": "keepalive 3 hold 9", "announces": 0}},
  "tcp": {"advmss": $MSS, "gso_max_size": 1500, "gso_max_segs": 1},
  "captures": [{"file": "$NAME.pcap", "where": "GoBGP's interface psg1e0 in ps-g1, both directions (tcp port 179)"}],
  "faults": [{"what": "gobgp neighbor $F enable (GoBGP's 320-route table goes out)", "epoch_ns": $ENABLE_NS},
             {"what": "gobgp global rib -a ipv4 del all (320 withdrawals)", "epoch_ns": $WITHDRAW_NS}],
  "facts": [
    {"id": "open-both", "text": "both speakers send an OPEN", "decoder": "tshark", "check": {"kind": "bgp_messages", "type": 1, "min": 2}},
    {"id": "announced-320", "text": "GoBGP announces exactly the 320 configured prefixes", "decoder": "tshark", "check": {"kind": "bgp_prefixes", "src": "$G", "which": "announced", "count": 320}},
    {"id": "withdrawn-320", "text": "GoBGP withdraws all 320 prefixes", "decoder": "tshark", "check": {"kind": "bgp_prefixes", "src": "$G", "which": "withdrawn", "count": 320}},
    {"id": "frr-reflects", "text": "FRR advertises the 320 prefixes back to GoBGP (eBGP, no sender-side loop check; GoBGP drops them for the AS-path loop 65020 65010)", "decoder": "tshark", "check": {"kind": "bgp_prefixes", "src": "$F", "which": "announced", "count": 320}},
    {"id": "community", "text": "UPDATEs from GoBGP carry community 65010:100", "decoder": "tshark", "check": {"kind": "bgp_attribute", "src": "$G", "community": "65010:100"}},
    {"id": "community-2", "text": "UPDATEs from GoBGP carry community 65010:200", "decoder": "tshark", "check": {"kind": "bgp_attribute", "src": "$G", "community": "65010:200"}},
    {"id": "large-community", "text": "UPDATEs from GoBGP carry large community 65010:1:2", "decoder": "tshark", "check": {"kind": "bgp_attribute", "src": "$G", "large_community": "65010:1:2"}},
    {"id": "segmented", "text": "at least one UPDATE from GoBGP spans several TCP segments (MSS $MSS)", "decoder": "tshark", "check": {"kind": "bgp_segmented", "src": "$G", "type": 2, "min": 1}},
    {"id": "updates", "text": "GoBGP sends at least 3 UPDATEs (two attribute groups, then withdrawals)", "decoder": "tshark", "check": {"kind": "bgp_messages", "src": "$G", "type": 2, "min": 3}}
  ]
}
JSON
