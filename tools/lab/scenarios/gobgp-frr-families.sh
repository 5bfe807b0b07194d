# GoBGP (g1, AS 65010) ⇄ FRR bgpd (f1, AS 65020), eBGP over IPv4 on one veth pair: GoBGP originates
# VPNv4/VPNv6, labelled unicast IPv4/IPv6, EVPN types 1, 2, 3, 5 and IPv4 flowspec (routes from
# tools/lab/families.inc); FRR originates VPNv4/VPNv6 routes (static `network … rd … label …`), an
# EVPN type-5 route (static, l2vpn evpn) and IPv4 unicast with add-path transmit (RFC 7911), and
# passes GoBGP's routes back where it keeps them.
lab_require /usr/lib/frr/zebra /usr/lib/frr/bfdd /usr/lib/frr/bgpd vtysh gobgpd gobgp tcpdump
lab_init
source "$LAB_DIR/families.inc"
G=203.0.113.1 F=203.0.113.2
lab_ns ps-mg1; lab_ns ps-mf1
lab_link ps-mg1 psmg1e0 ps-mf1 psmf1e0
lab_addr ps-mg1 psmg1e0 "$G/30"
lab_addr ps-mf1 psmf1e0 "$F/30"
lab_capture ps-mg1 psmg1e0 "$LAB_TMP/at-g1.pcap" inout "tcp port 179"
sleep 1

lab_frr ps-mf1 f1 "hostname ps-mf1
route-map VPNRT permit 10
 set extcommunity rt 65020:100
!
router bgp 65020
 bgp router-id $F
 no bgp ebgp-requires-policy
 no bgp network import-check
 no bgp default ipv4-unicast
 neighbor $G remote-as 65010
 neighbor $G timers 3 9
 ! FRR listens, GoBGP connects once enabled: no connection collision, no 120 s connect-retry wait.
 neighbor $G passive
 address-family ipv4 unicast
  network 198.51.100.64/26
  network 198.51.100.192/26
  neighbor $G activate
  neighbor $G addpath-tx-all-paths
 exit-address-family
 address-family ipv6 labeled-unicast
  neighbor $G activate
 exit-address-family
 address-family ipv4 vpn
  network 203.0.113.192/26 rd 65020:7 label 2020 route-map VPNRT
  neighbor $G activate
 exit-address-family
 address-family ipv6 vpn
  network 2001:db8:700::/48 rd 65020:7 label 2021 route-map VPNRT
  neighbor $G activate
 exit-address-family
 address-family l2vpn evpn
  network 198.51.100.128/26 rd 65020:8 ethtag 0 label 3000 esi 00:00:00:00:00:00:00:00:00:00 gwip 0.0.0.0 routermac 02:00:5e:20:00:01 route-map VPNRT
  neighbor $G activate
 exit-address-family
!"
FAMILIES=(ipv4-unicast l3vpn-ipv4-unicast l3vpn-ipv6-unicast ipv6-labelled-unicast
          l2vpn-evpn)
mkdir -p "$LAB_TMP/g1"
{ printf '[global.config]\n  as = 65010\n  router-id = "%s"\n  local-address-list = ["%s"]\n' $G $G
  # Receive-only add-path on IPv4 unicast (sending it would corrupt GoBGP's flowspec, see families.inc).
  ADDPATH_RECEIVE_FAMILIES=ipv4-unicast gobgp_families_toml $F 65020 $G "${FAMILIES[@]}"
} >"$LAB_TMP/g1/gobgpd.toml"
lab_spawn ps-mg1 gobgpd -f "$LAB_TMP/g1/gobgpd.toml" -p --api-hosts 127.0.0.1:50051 --pprof-disable --disable-stdlog
g1() { ip netns exec ps-mg1 gobgp -u 127.0.0.1 -p 50051 "$@"; }
lab_wait 15 "g1's API" g1 global
for route in "${GOBGP_ROUTES[@]}"; do
  case $route in ipv4-mpls*|*flowspec*) continue ;; esac
  g1 global rib -a "${route%%|*}" add ${route#*|} >/dev/null
done
adj_in() {  # adj_in FAMILY N: g1 holds N routes of FAMILY from FRR (its own come back too)
  local n
  n=$(g1 neighbor $F adj-in -a "$1" 2>/dev/null | grep -c '^ *[0-9]' || true)
  [[ $n == "$2" ]]
}
ENABLE_NS=$(lab_now_ns)
g1 neighbor $F enable >/dev/null
lab_wait 40 "FRR's VPNv4 routes (its own + GoBGP's 3)" adj_in vpnv4 4
lab_wait 15 "FRR's VPNv6 routes (its own + GoBGP's 2)" adj_in vpnv6 3
lab_wait 15 "FRR's IPv6 labeled-unicast routes (GoBGP's 2)" adj_in ipv6-mpls 2
lab_wait 15 "FRR's EVPN routes (its type 5 + GoBGP's 6)" adj_in evpn 7
lab_wait 15 "FRR's IPv4 unicast routes" adj_in ipv4 2
sleep 2
lab_stop_captures
cp "$LAB_TMP/at-g1.pcap" "$OUT/$NAME.pcap"

# Facts: GoBGP's routes from families.inc (all but labelled IPv4 and flowspec) and FRR's static ones
# above. RD 65020:8 on the wire is type 0 00:00:fd:fc:00:00:00:08 (tshark prints EVPN RDs as bytes).
values() { printf '{"kind": "bgp_nlri_values", "src": "%s", "afi": %s, "safi": %s, "field": "%s", "values": %s}' "$@"; }
python3 "$LAB_DIR/manifest.py" "$OUT/$NAME.json" <<JSON
{
  "scenario": "$NAME",
  "description": "GoBGP (g1, AS 65010) and FRR bgpd (f1, AS 65020), eBGP on one veth pair. GoBGP originates 3 VPNv4 routes (RD types 0, 1, 2, labels 100-102), 2 VPNv6 (labels 200, 201), 2 labelled IPv6 (labels 400, 401) and 6 EVPN routes (types 1, 2, 3, 5; RD 65010:10) from tools/lab/families.inc. FRR originates with static network statements VPNv4 203.0.113.192/26 RD 65020:7 label 2020 RT 65020:100, VPNv6 2001:db8:700::/48 RD 65020:7 label 2021, EVPN type 5 198.51.100.128/26 RD 65020:8 label 3000 router's MAC 02:00:5e:20:00:01, and IPv4 unicast 198.51.100.64/26, 198.51.100.192/26 with add-path transmit (GoBGP receives add-path); it passes GoBGP's VPN, labelled and EVPN routes back (eBGP; GoBGP keeps them in Adj-RIB-In, AS-path loop). FRR 8.4 refuses ipv4 labeled-unicast beside ipv4 unicast on one neighbor, and GoBGP resets the session (NOTIFICATION code 0) on FRR's re-advertised flowspec, so labelled IPv4 and flowspec are only in gobgp-gobgp-families.",
  "daemons": $(lab_versions),
  "topology": {"g1": {"namespace": "ps-mg1", "interface": "psmg1e0", "daemon": "gobgpd", "address": "$G/30", "asn": 65010, "api": "127.0.0.1:50051 inside ps-mg1"},
               "f1": {"namespace": "ps-mf1", "interface": "psmf1e0", "daemon": "frr (zebra, bgpd)", "address": "$F/30", "asn": 65020}},
  "bgp": {"g1": {"asn": 65010, "hold_time": 9, "keepalive": 3, "routes": "tools/lab/families.inc GOBGP_ROUTES without ipv4-mpls and flowspec"},
          "f1": {"asn": 65020, "timers": "keepalive 3 hold 9",
                 "routes": ["vpnv4 203.0.113.192/26 rd 65020:7 label 2020 rt 65020:100", "vpnv6 2001:db8:700::/48 rd 65020:7 label 2021 rt 65020:100",
                            "evpn type 5 198.51.100.128/26 rd 65020:8 ethtag 0 label 3000 routermac 02:00:5e:20:00:01",
                            "ipv4 198.51.100.64/26", "ipv4 198.51.100.192/26 (addpath-tx-all-paths)"]}},
  "captures": [{"file": "$NAME.pcap", "where": "GoBGP's interface psmg1e0 in ps-mg1, both directions (tcp port 179)"}],
  "faults": [{"what": "gobgp neighbor $F enable (GoBGP's table goes out)", "epoch_ns": $ENABLE_NS}],
  "facts": [
    {"id": "opens", "text": "both speakers send an OPEN", "check": {"kind": "bgp_messages", "type": 1, "count": 2}},
    {"id": "no-notification", "text": "the session is not reset", "check": {"kind": "bgp_messages", "type": 3, "count": 0}},
    {"id": "cap-frr-addpath", "text": "FRR offers add-path send/receive for IPv4 unicast", "check": {"kind": "bgp_capability", "src": "$F", "code": 69, "match": {"bgp.cap.ap.afi": "1", "bgp.cap.ap.safi": "1", "bgp.cap.ap.sendreceive": "3"}}},
    {"id": "cap-gobgp-addpath", "text": "GoBGP offers add-path receive (1) for IPv4 unicast", "check": {"kind": "bgp_capability", "src": "$G", "code": 69, "match": {"bgp.cap.ap.afi": "1", "bgp.cap.ap.safi": "1", "bgp.cap.ap.sendreceive": "1"}}},
    {"id": "cap-frr-evpn", "text": "FRR offers EVPN (MP 25/70)", "check": {"kind": "bgp_capability", "src": "$F", "code": 1, "match": {"bgp.cap.mp.afi": "25", "bgp.cap.mp.safi": "70"}}},
    {"id": "cap-frr-6pe", "text": "FRR offers labelled IPv6 (MP 2/4)", "check": {"kind": "bgp_capability", "src": "$F", "code": 1, "match": {"bgp.cap.mp.afi": "2", "bgp.cap.mp.safi": "4"}}},
    {"id": "g-vpnv4", "text": "GoBGP's 3 VPNv4 routes, RD types 0, 1, 2", "check": $(values $G 1 128 bgp.rd '["65010:1", "192.0.2.1:2", "4200000001:3"]')},
    {"id": "g-vpnv6", "text": "GoBGP's 2 VPNv6 routes, labels 200, 201", "check": $(values $G 2 128 bgp.label_stack '["200 (bottom)", "201 (bottom)"]')},
    {"id": "g-lu6", "text": "GoBGP's labelled IPv6 routes, labels 400, 401", "check": $(values $G 2 4 bgp.label_stack '["400 (bottom)", "401 (bottom)"]')},
    {"id": "g-evpn", "text": "GoBGP's 6 EVPN routes", "check": {"kind": "bgp_nlri", "src": "$G", "afi": 25, "safi": 70, "count": 6}},
    {"id": "f-vpnv4-own", "text": "FRR's VPNv4 203.0.113.192/26 RD 65020:7 label 2020", "check": {"kind": "bgp_nlri", "src": "$F", "afi": 1, "safi": 128, "count": 1, "where": {"bgp.rd": "65020:7", "bgp.label_stack": "2020 (bottom)", "bgp.mp_reach_nlri_ipv4_prefix": "203.0.113.192", "bgp.prefix_length": "114"}}},
    {"id": "f-vpnv4-all", "text": "FRR advertises 4 VPNv4 routes (its own and GoBGP's 3, labels kept)", "check": $(values $F 1 128 bgp.label_stack '["100 (bottom)", "101 (bottom)", "102 (bottom)", "2020 (bottom)"]')},
    {"id": "f-vpnv6", "text": "FRR advertises 3 VPNv6 routes: its own (label 2021) and GoBGP's 2", "check": $(values $F 2 128 bgp.label_stack '["200 (bottom)", "201 (bottom)", "2021 (bottom)"]')},
    {"id": "f-rt", "text": "FRR's VPN routes carry route target 65020:100 (route-map)", "check": {"kind": "bgp_ext_community", "src": "$F", "afi": 1, "safi": 128, "match": {"bgp.ext_com.stype_tr_as2": "0x02", "bgp.ext_com.value_as2": "65020", "bgp.ext_com.value_an4": "100"}}},
    {"id": "f-lu6", "text": "FRR passes on GoBGP's 2 labelled IPv6 prefixes (with labels of its own)", "check": $(values $F 2 4 bgp.mp_reach_nlri_ipv6_prefix '["2001:db8:300::", "2001:db8:301::"]')},
    {"id": "f-evpn-all", "text": "FRR advertises 7 EVPN routes (its type 5 and GoBGP's 6)", "check": {"kind": "bgp_nlri", "src": "$F", "afi": 25, "safi": 70, "count": 7}},
    {"id": "f-evpn-own", "text": "FRR's EVPN type 5 198.51.100.128/26, RD 65020:8, Ethernet tag 0", "check": {"kind": "bgp_nlri", "src": "$F", "afi": 25, "safi": 70, "count": 1, "where": {"bgp.evpn.nlri.rd": "00:00:fd:fc:00:00:00:08", "bgp.evpn.nlri.rt": "5", "bgp.evpn.nlri.prefix_len": "26", "bgp.evpn.nlri.ip.addr": "198.51.100.128", "bgp.evpn.nlri.etag": "0"}}},
    {"id": "f-rmac", "text": "FRR's type 5 carries the router's MAC extended community 02:00:5e:20:00:01", "check": {"kind": "bgp_ext_community", "src": "$F", "afi": 25, "safi": 70, "match": {"bgp.ext_com.type": "0x06", "bgp.ext_com.stype_tr_evpn": "0x03", "bgp.ext_com_evpn.esi.router_mac": "02:00:5e:20:00:01"}}},
    {"id": "f-addpath", "text": "FRR's 2 IPv4 prefixes, each with a path ID (add-path)", "check": {"kind": "bgp_nlri", "src": "$F", "afi": 1, "safi": 1, "count": 2, "has": ["bgp.nlri_path_id"]}},
    {"id": "f-ipv4", "text": "FRR's IPv4 prefixes 198.51.100.64/26, 198.51.100.192/26", "check": $(values $F 1 1 bgp.nlri_prefix '["198.51.100.64", "198.51.100.192"]')}
  ]
}
JSON
