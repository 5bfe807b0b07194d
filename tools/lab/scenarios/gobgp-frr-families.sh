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
