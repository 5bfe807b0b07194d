# GoBGP (g1, AS 65010) ⇄ GoBGP (g2, AS 65030), eBGP, every family GoBGP originates from its CLI, on
# three sessions over one veth pair (one capture sees all three):
#   A 203.0.113.1 ⇄ .2: vpnv4/vpnv6 (RD types 0, 1, 2), labelled unicast IPv4/IPv6 (6PE-like, one
#     two-label stack), EVPN route types 1, 2, 3 and 5, flowspec IPv4/IPv6/L3VPN-IPv4 with actions;
#   B 203.0.113.5 ⇄ .6: RT-constraint (from a VRF on each side) and vpnv4;
#   C 203.0.113.9 ⇄ .10: IPv4 unicast with add-path (RFC 7911) both ways.
# Why three: see the GoBGP notes in tools/lab/families.inc. Routes come from families.inc.
lab_require gobgpd gobgp tcpdump
lab_init
source "$LAB_DIR/families.inc"
A1=203.0.113.1 A2=203.0.113.2 B1=203.0.113.5 B2=203.0.113.6 C1=203.0.113.9 C2=203.0.113.10
lab_ns ps-mg1; lab_ns ps-mg2
lab_link ps-mg1 psmg1e0 ps-mg2 psmg2e0
for a in $A1 $B1 $C1; do lab_addr ps-mg1 psmg1e0 "$a/30"; done
for a in $A2 $B2 $C2; do lab_addr ps-mg2 psmg2e0 "$a/30"; done
lab_capture ps-mg1 psmg1e0 "$LAB_TMP/at-g1.pcap" inout "tcp port 179"
sleep 1

FAMILIES_A=(l3vpn-ipv4-unicast l3vpn-ipv6-unicast ipv4-labelled-unicast ipv6-labelled-unicast
            l2vpn-evpn ipv4-flowspec ipv6-flowspec l3vpn-ipv4-flowspec)
ADDPATH_FAMILIES="ipv4-unicast"
mkdir -p "$LAB_TMP/g1" "$LAB_TMP/g2"
gobgp_conf() {  # gobgp_conf AS ROUTER_ID PEER_AS A_PEER A_LOCAL B_PEER B_LOCAL C_PEER C_LOCAL
  printf '[global.config]\n  as = %s\n  router-id = "%s"\n  local-address-list = ["%s", "%s", "%s"]\n' $1 $2 $5 $7 $9
  gobgp_families_toml $4 $3 $5 "${FAMILIES_A[@]}"
  gobgp_families_toml $6 $3 $7 rtc l3vpn-ipv4-unicast
  gobgp_families_toml $8 $3 $9 ipv4-unicast
}
gobgp_conf 65010 $A1 65030 $A2 $A1 $B2 $B1 $C2 $C1 >"$LAB_TMP/g1/gobgpd.toml"
GOBGP_PASSIVE=yes gobgp_conf 65030 $A2 65010 $A1 $A2 $B1 $B2 $C1 $C2 >"$LAB_TMP/g2/gobgpd.toml"  # g2 listens
lab_spawn ps-mg1 gobgpd -f "$LAB_TMP/g1/gobgpd.toml" -p --api-hosts 127.0.0.1:50051 --pprof-disable --disable-stdlog
lab_spawn ps-mg2 gobgpd -f "$LAB_TMP/g2/gobgpd.toml" -p --api-hosts 127.0.0.1:50052 --pprof-disable --disable-stdlog
g1() { ip netns exec ps-mg1 gobgp -u 127.0.0.1 -p 50051 "$@"; }
g2() { ip netns exec ps-mg2 gobgp -u 127.0.0.1 -p 50052 "$@"; }
lab_wait 15 "g1's API" g1 global
lab_wait 15 "g2's API" g2 global

# RT-constraint (RFC 4684): a VRF importing 65010:100 on each side makes GoBGP advertise its RT
# membership on session B: g1 65010:65010:100, g2 65030:65010:100.
g1 vrf add blue rd 65010:1 rt both 65010:100 >/dev/null
g2 vrf add blue rd 65030:1 rt import 65010:100 >/dev/null
for route in "${GOBGP_ROUTES[@]}"; do
  g1 global rib -a "${route%%|*}" add ${route#*|} >/dev/null
done
# Add-path on session C: two IPv4 prefixes from g1, one from g2, each sent with a path identifier.
g1 global rib -a ipv4 add 192.0.2.64/26 community 65010:1 >/dev/null
g1 global rib -a ipv4 add 192.0.2.192/26 community 65010:1 >/dev/null
g2 global rib -a ipv4 add 198.51.100.0/26 community 65030:1 >/dev/null

adj_in() {  # adj_in NEIGHBOR FAMILY N: g2 holds N routes of FAMILY from NEIGHBOR (g1)
  local n
  n=$(g2 neighbor "$1" adj-in -a "$2" 2>/dev/null | grep -c '^ *[0-9]' || true)
  [[ $n == "$3" ]]
}
ENABLE_NS=$(lab_now_ns)
for n in $A2 $B2 $C2; do g1 neighbor $n enable >/dev/null; done
for n in $A1 $B1 $C1; do g2 neighbor $n enable >/dev/null; done
lab_wait 40 "g2: vpnv4 on A" adj_in $A1 vpnv4 3
lab_wait 15 "g2: vpnv6 on A" adj_in $A1 vpnv6 2
lab_wait 15 "g2: ipv4-mpls on A" adj_in $A1 ipv4-mpls 2
lab_wait 15 "g2: ipv6-mpls on A" adj_in $A1 ipv6-mpls 2
lab_wait 15 "g2: evpn on A" adj_in $A1 evpn 6
lab_wait 15 "g2: ipv4-flowspec on A" adj_in $A1 ipv4-flowspec 4
lab_wait 15 "g2: ipv6-flowspec on A" adj_in $A1 ipv6-flowspec 1
lab_wait 15 "g2: ipv4-l3vpn-flowspec on A" adj_in $A1 ipv4-l3vpn-flowspec 1
lab_wait 15 "g2: rtc on B" adj_in $B1 rtc 1
lab_wait 15 "g2: vpnv4 on B" adj_in $B1 vpnv4 3
lab_wait 15 "g2: ipv4 on C" adj_in $C1 ipv4 2
sleep 2
WITHDRAW_NS=$(lab_now_ns)
for route in "${GOBGP_WITHDRAWALS[@]}"; do
  g1 global rib -a "${route%%|*}" del ${route#*|} >/dev/null
done
lab_wait 15 "g2: vpnv4 withdrawn on A" adj_in $A1 vpnv4 2
lab_wait 15 "g2: ipv4-mpls withdrawn on A" adj_in $A1 ipv4-mpls 1
lab_wait 15 "g2: evpn withdrawn on A" adj_in $A1 evpn 5
lab_wait 15 "g2: ipv4-flowspec withdrawn on A" adj_in $A1 ipv4-flowspec 3
sleep 2
lab_stop_captures
cp "$LAB_TMP/at-g1.pcap" "$OUT/$NAME.pcap"

# Facts: the routes added above (families.inc). RD 65010:10 on the wire is type 0 00:00:fd:f2:00:00:00:0a
# (tshark prints EVPN RDs as bytes). GoBGP writes EVPN labels as plain 24-bit values (RFC 8365's VNI
# form): types 1/2 carry 1000 = 0x0003e8, which tshark reads as an MPLS label (>> 4) = 62; for type 5
# tshark shows the 24-bit value (5000, 5001) itself. But tshark shows the field as bgp.evpn.nlri.vni
# when a VXLAN encapsulation community came earlier in the same frame (an earlier UPDATE packed in
# the same TCP segment), which varies from run to run: the label facts accept either reading.
nlri() { printf '{"kind": "bgp_nlri", "src": "%s", "afi": %s, "safi": %s, "count": %s%s}' "$@"; }
values() { printf '{"kind": "bgp_nlri_values", "src": "%s", "afi": %s, "safi": %s, "field": "%s", "values": %s}' "$@"; }
ext() { printf '{"kind": "bgp_ext_community", "src": "%s", "match": %s}' "$@"; }
RT='"bgp.ext_com.type": "0x00", "bgp.ext_com.stype_tr_as2": "0x02", "bgp.ext_com.value_as2": "65010"'
python3 "$LAB_DIR/manifest.py" "$OUT/$NAME.json" <<JSON
{
  "scenario": "$NAME",
  "description": "GoBGP (g1, AS 65010) and GoBGP (g2, AS 65030), eBGP, three sessions on one veth pair. Session A ($A1 ⇄ $A2): g1 originates 3 VPNv4 routes (RD types 0, 1, 2: 65010:1, 192.0.2.1:2, 4200000001:3; labels 100-102; RT 65010:100, one also 65010:101), 2 VPNv6 (labels 200, 201), 2 labelled IPv4 (label 300; stack 301/302), 2 labelled IPv6 (400, 401; 6PE-like, next hop ::ffff:$A1), 6 EVPN routes (RD 65010:10: type 1, type 2 with and without IP, type 3, type 5 IPv4 and IPv6, VXLAN encapsulation), 4 IPv4 flowspec rules (rate-limit 1000, discard, sample+terminal with redirect 65010:300, mark DSCP 10), 1 IPv6 flowspec rule (mark 10) and 1 L3VPN IPv4 flowspec rule (RD 65010:1, redirect 65010:200); later it withdraws one route of VPNv4, labelled IPv4, EVPN and IPv4 flowspec. Session B ($B1 ⇄ $B2): RT-constraint (both import 65010:100 in a VRF) and VPNv4. Session C ($C1 ⇄ $C2): IPv4 unicast with add-path both ways (g1 192.0.2.64/26, 192.0.2.192/26; g2 198.51.100.0/26). GoBGP withholds RT-less routes once rtc is negotiated and corrupts flowspec when sending add-path IPv4, hence three sessions (tools/lab/families.inc).",
  "daemons": $(lab_versions),
  "topology": {"g1": {"namespace": "ps-mg1", "interface": "psmg1e0", "daemon": "gobgpd", "addresses": ["$A1/30", "$B1/30", "$C1/30"], "asn": 65010, "api": "127.0.0.1:50051 inside ps-mg1"},
               "g2": {"namespace": "ps-mg2", "interface": "psmg2e0", "daemon": "gobgpd", "addresses": ["$A2/30", "$B2/30", "$C2/30"], "asn": 65030, "api": "127.0.0.1:50052 inside ps-mg2"}},
  "bgp": {"g1": {"asn": 65010, "hold_time": 9, "keepalive": 3, "routes": "tools/lab/families.inc GOBGP_ROUTES", "withdrawals": "GOBGP_WITHDRAWALS"},
          "g2": {"asn": 65030, "hold_time": 9, "keepalive": 3}},
  "captures": [{"file": "$NAME.pcap", "where": "g1's interface psmg1e0 in ps-mg1, both directions (tcp port 179), all three sessions"}],
  "faults": [{"what": "all six neighbors enabled (tables go out)", "epoch_ns": $ENABLE_NS},
             {"what": "g1 withdraws one VPNv4, labelled IPv4, EVPN and IPv4 flowspec route", "epoch_ns": $WITHDRAW_NS}],
  "facts": [
    {"id": "opens", "text": "six OPENs (three sessions, both sides)", "check": {"kind": "bgp_messages", "type": 1, "count": 6}},
    {"id": "no-notification", "text": "no session is reset (no NOTIFICATION)", "check": {"kind": "bgp_messages", "type": 3, "count": 0}},
    {"id": "cap-vpnv4", "text": "g1 offers VPNv4 (MP 1/128) on A", "check": {"kind": "bgp_capability", "src": "$A1", "code": 1, "match": {"bgp.cap.mp.afi": "1", "bgp.cap.mp.safi": "128"}}},
    {"id": "cap-evpn", "text": "g1 offers EVPN (MP 25/70) on A", "check": {"kind": "bgp_capability", "src": "$A1", "code": 1, "match": {"bgp.cap.mp.afi": "25", "bgp.cap.mp.safi": "70"}}},
    {"id": "cap-flowspec-vpn", "text": "g1 offers L3VPN flowspec (MP 1/134) on A", "check": {"kind": "bgp_capability", "src": "$A1", "code": 1, "match": {"bgp.cap.mp.afi": "1", "bgp.cap.mp.safi": "134"}}},
    {"id": "cap-rtc", "text": "g2 offers RT-constraint (MP 1/132) on B", "check": {"kind": "bgp_capability", "src": "$B2", "code": 1, "match": {"bgp.cap.mp.afi": "1", "bgp.cap.mp.safi": "132"}}},
    {"id": "cap-addpath", "text": "g1 offers add-path send/receive (3) for IPv4 unicast on C", "check": {"kind": "bgp_capability", "src": "$C1", "code": 69, "match": {"bgp.cap.ap.afi": "1", "bgp.cap.ap.safi": "1", "bgp.cap.ap.sendreceive": "3"}}},
    {"id": "vpnv4-3", "text": "3 VPNv4 routes on A", "check": $(nlri $A1 1 128 3 "")},
    {"id": "vpnv4-rd", "text": "VPNv4 RDs of types 0, 1, 2", "check": $(values $A1 1 128 bgp.rd '["65010:1", "192.0.2.1:2", "4200000001:3"]')},
    {"id": "vpnv4-labels", "text": "VPNv4 labels 100, 101, 102", "check": $(values $A1 1 128 bgp.label_stack '["100 (bottom)", "101 (bottom)", "102 (bottom)"]')},
    {"id": "vpnv4-prefixes", "text": "VPNv4 prefixes", "check": $(values $A1 1 128 bgp.mp_reach_nlri_ipv4_prefix '["198.51.100.0", "198.51.100.128", "203.0.113.128"]')},
    {"id": "vpnv6-2", "text": "2 VPNv6 routes, labels 200, 201 (tshark 4.0 shows only the label as a field)", "check": $(values $A1 2 128 bgp.label_stack '["200 (bottom)", "201 (bottom)"]')},
    {"id": "lu4", "text": "labelled IPv4: 203.0.113.0/26 label 300, 203.0.113.64/26 stack 301/302", "check": $(values $A1 1 4 bgp.label_stack '["300 (bottom)", "301,302 (bottom)"]')},
    {"id": "lu4-prefixes", "text": "labelled IPv4 prefixes", "check": $(values $A1 1 4 bgp.mp_reach_nlri_ipv4_prefix '["203.0.113.0", "203.0.113.64"]')},
    {"id": "lu6", "text": "labelled IPv6 (6PE-like): 2001:db8:300::/48 label 400, 2001:db8:301::/48 label 401", "check": $(values $A1 2 4 bgp.mp_reach_nlri_ipv6_prefix '["2001:db8:300::", "2001:db8:301::"]')},
    {"id": "lu6-labels", "text": "labelled IPv6 labels", "check": $(values $A1 2 4 bgp.label_stack '["400 (bottom)", "401 (bottom)"]')},
    {"id": "evpn-6", "text": "6 EVPN routes", "check": $(nlri $A1 25 70 6 "")},
    {"id": "evpn-types", "text": "EVPN route types 1, 2, 3, 5", "check": $(values $A1 25 70 bgp.evpn.nlri.rt '["1", "2", "3", "5"]')},
    {"id": "evpn-rd", "text": "EVPN RD 65010:10", "check": $(values $A1 25 70 bgp.evpn.nlri.rd '["00:00:fd:f2:00:00:00:0a"]')},
    {"id": "evpn-macs", "text": "EVPN type-2 MACs", "check": $(values $A1 25 70 bgp.evpn.nlri.mac_addr '["02:00:5e:10:00:01", "02:00:5e:10:00:02"]')},
    {"id": "evpn-etags", "text": "EVPN Ethernet tags 10 (types 1-3) and 0 (type 5)", "check": $(values $A1 25 70 bgp.evpn.nlri.etag '["0", "10"]')},
    {"id": "evpn-ipv4", "text": "EVPN IPv4 addresses: MAC/IP 192.0.2.10, multicast originator 192.0.2.1, type-5 prefix 198.51.100.0", "check": $(values $A1 25 70 bgp.evpn.nlri.ip.addr '["192.0.2.1", "192.0.2.10", "198.51.100.0"]')},
    {"id": "evpn-ipv6", "text": "EVPN type-5 IPv6 prefix 2001:db8:500::/48", "check": $(values $A1 25 70 bgp.evpn.nlri.ipv6.addr '["2001:db8:500::"]')},
    {"id": "evpn-label", "text": "EVPN types 1 and 2 carry label 1000 as a 24-bit value: tshark reads it as MPLS label 1000 >> 4 = 62, or as VNI 1000 once it has seen a VXLAN encapsulation community earlier in the same frame", "check": {"kind": "bgp_nlri", "src": "$A1", "afi": 25, "safi": 70, "count": 3, "where_any": [{"bgp.evpn.nlri.mpls_ls1": "62"}, {"bgp.evpn.nlri.vni": "1000"}]}},
    {"id": "evpn-label5", "text": "EVPN type-5 labels 5000, 5001 (tshark: MPLS label field or VNI, as above)", "check": {"kind": "bgp_nlri", "src": "$A1", "afi": 25, "safi": 70, "count": 2, "where_any": [{"bgp.update.path_attribute.mpls_label_value": "5000"}, {"bgp.update.path_attribute.mpls_label_value": "5001"}, {"bgp.evpn.nlri.vni": "5000"}, {"bgp.evpn.nlri.vni": "5001"}]}},
    {"id": "evpn-vxlan", "text": "EVPN routes carry the encapsulation extended community VXLAN (8)", "check": {"kind": "bgp_ext_community", "src": "$A1", "afi": 25, "safi": 70, "match": {"bgp.ext_com.stype_tr_opaque": "0x0c", "bgp.ext_com.tunnel_type": "8"}}},
    {"id": "fs4-4", "text": "4 IPv4 flowspec rules", "check": $(nlri $A1 1 133 4 "")},
    {"id": "fs4-dst", "text": "IPv4 flowspec destination prefixes", "check": $(values $A1 1 133 bgp.flowspec_nlri.dst_prefix_filter '["192.0.2.0", "192.0.2.128", "198.51.100.0", "203.0.113.0"]')},
    {"id": "fs4-types", "text": "IPv4 flowspec component types 1, 2, 3, 5, 6, 7, 9, 10, 11, 12", "check": $(values $A1 1 133 bgp.flowspec_nlri.filter_type '["1", "2", "3", "5", "6", "7", "9", "10", "11", "12"]')},
    {"id": "fs4-ports", "text": "source port >=1000 &<=2000 (2-byte values)", "check": $(values $A1 1 133 bgp.flowspec_nlri.dec_val_16 '["1000", "2000"]')},
    {"id": "fs6", "text": "IPv6 flowspec: destination 2001:db8:600::/48", "check": $(values $A1 2 133 bgp.flowspec_nlri.dst_ipv6_pref '["2001:db8:600::"]')},
    {"id": "fs-vpn", "text": "L3VPN IPv4 flowspec rule with RD 65010:1", "check": $(values $A1 1 134 bgp.flowspec_route_distinguisher_admin_as_num_2 '["65010"]')},
    {"id": "rt-100", "text": "route target 65010:100", "check": $(ext $A1 "{$RT, \"bgp.ext_com.value_an4\": \"100\"}")},
    {"id": "rt-101", "text": "route target 65010:101", "check": $(ext $A1 "{$RT, \"bgp.ext_com.value_an4\": \"101\"}")},
    {"id": "fs-rate", "text": "flowspec traffic-rate 1000", "check": $(ext $A1 '{"bgp.ext_com.type": "0x80", "bgp.ext_com.stype_tr_exp": "0x06", "bgp.ext_com_flow.rate_limit": "1000"}')},
    {"id": "fs-discard", "text": "flowspec discard (traffic-rate 0)", "check": $(ext $A1 '{"bgp.ext_com.stype_tr_exp": "0x06", "bgp.ext_com_flow.rate_limit": "0"}')},
    {"id": "fs-action", "text": "flowspec traffic-action sample + terminal", "check": $(ext $A1 '{"bgp.ext_com.stype_tr_exp": "0x07", "bgp.ext_com_flow.sample": "1", "bgp.ext_com_flow.traff_act": "1"}')},
    {"id": "fs-redirect", "text": "flowspec redirect 65010:300", "check": $(ext $A1 '{"bgp.ext_com.stype_tr_exp": "0x08", "bgp.ext_com.value_as2": "65010", "bgp.ext_com.value_an4": "300"}')},
    {"id": "fs-mark", "text": "flowspec traffic-marking DSCP 10", "check": $(ext $A1 '{"bgp.ext_com.stype_tr_exp": "0x09", "bgp.ext_com.value_fs_dscp": "0x0a"}')},
    {"id": "withdraw-vpnv4", "text": "VPNv4 65010:1:198.51.100.0/25 withdrawn on A", "check": {"kind": "bgp_nlri", "src": "$A1", "afi": 1, "safi": 128, "which": "withdrawn", "count": 1, "where": {"bgp.rd": "65010:1"}}},
    {"id": "withdraw-lu4", "text": "labelled 203.0.113.0/26 withdrawn", "check": {"kind": "bgp_nlri", "src": "$A1", "afi": 1, "safi": 4, "which": "withdrawn", "count": 1}},
    {"id": "withdraw-evpn", "text": "EVPN MAC 02:00:5e:10:00:02 withdrawn", "check": {"kind": "bgp_nlri", "src": "$A1", "afi": 25, "safi": 70, "which": "withdrawn", "count": 1, "where": {"bgp.evpn.nlri.mac_addr": "02:00:5e:10:00:02"}}},
    {"id": "withdraw-fs4", "text": "IPv4 flowspec rule for 203.0.113.0/24 withdrawn", "check": {"kind": "bgp_nlri", "src": "$A1", "afi": 1, "safi": 133, "which": "withdrawn", "count": 1}},
    {"id": "rtc-g1", "text": "g1's RT membership 65010:65010:100 on B", "check": {"kind": "bgp_nlri", "src": "$B1", "afi": 1, "safi": 132, "count": 1, "where": {"bgp.originating_as": "65010", "bgp.community_prefix": "65010:100"}}},
    {"id": "rtc-g2", "text": "g2's RT membership 65030:65010:100 on B", "check": {"kind": "bgp_nlri", "src": "$B2", "afi": 1, "safi": 132, "count": 1, "where": {"bgp.originating_as": "65030", "bgp.community_prefix": "65010:100"}}},
    {"id": "rtc-vpnv4", "text": "the 3 VPNv4 routes (RT 65010:100) also go out on B", "check": $(nlri $B1 1 128 3 "")},
    {"id": "addpath-g1", "text": "g1's 2 IPv4 prefixes on C, each with a path ID", "check": {"kind": "bgp_nlri", "src": "$C1", "afi": 1, "safi": 1, "count": 2, "has": ["bgp.nlri_path_id"]}},
    {"id": "addpath-g2", "text": "g2's 198.51.100.0/26 on C with a path ID", "check": {"kind": "bgp_nlri", "src": "$C2", "afi": 1, "safi": 1, "count": 1, "has": ["bgp.nlri_path_id"], "where": {"bgp.nlri_prefix": "198.51.100.0"}}}
  ]
}
JSON
