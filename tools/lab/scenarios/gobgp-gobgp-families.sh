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
gobgp_conf 65030 $A2 65010 $A1 $A2 $B1 $B2 $C1 $C2 >"$LAB_TMP/g2/gobgpd.toml"
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
