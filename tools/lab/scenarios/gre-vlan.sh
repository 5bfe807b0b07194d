# FRR (t1) and BIRD (t2): eBGP with BFD inside a GRE tunnel on an 802.1Q-tagged underlay. The kernel
# has neither gre nor vlan links, so tools/lab/gre-relay.py does the encapsulation in userspace:
# each router routes the inner /30 into a TUN device; its relay wraps every packet in GRE, outer
# IPv4 and an 802.1Q tag and sends it on the underlay veth, where tcpdump sees the real tunnel.
lab_require /usr/lib/frr/zebra /usr/lib/frr/bfdd /usr/lib/frr/bgpd vtysh bird birdc tcpdump python3
[[ -c /dev/net/tun ]] || lab_fail "/dev/net/tun is missing (the GRE relay needs TUN devices)"
lab_init
A=198.51.100.1 B=198.51.100.2     # inner (tunnel) addresses
UA=203.0.113.1 UB=203.0.113.2     # outer (underlay) addresses, only ever inside the relays' frames
VLAN=100
lab_ns ps-t1; lab_ns ps-t2
lab_link ps-t1 psu1 ps-t2 psu2
for ns_if in "ps-t1 psu1" "ps-t2 psu2"; do
  set -- $ns_if
  ip netns exec "$1" sysctl -qw "net.ipv6.conf.$2.disable_ipv6=1"  # no IPv6 chatter on the underlay
done
MAC1=$(ip -n ps-t1 -o link show psu1 | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p')
MAC2=$(ip -n ps-t2 -o link show psu2 | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p')
for side in "ps-t1 pst1g0 $A" "ps-t2 pst2g0 $B"; do
  set -- $side
  ip -n "$1" tuntap add dev "$2" mode tun
  ip netns exec "$1" sysctl -qw "net.ipv6.conf.$2.disable_ipv6=1"
  ip -n "$1" link set "$2" mtu 1400 up
  lab_addr "$1" "$2" "$3/30"
done
lab_capture ps-t1 psu1 "$LAB_TMP/underlay.pcap" inout ""
sleep 1
lab_spawn ps-t1 python3 "$LAB_DIR/gre-relay.py" pst1g0 psu1 "$UA" "$UB" "$MAC2" "$VLAN"
lab_spawn ps-t2 python3 "$LAB_DIR/gre-relay.py" pst2g0 psu2 "$UB" "$UA" "$MAC1" "$VLAN"
sleep 1  # (no ping on these machines: the BGP wait below proves the tunnel)

lab_frr ps-t1 t1 "hostname ps-t1
bfd
 profile lab
  transmit-interval 300
  receive-interval 300
  detect-multiplier 3
 !
!
router bgp 65001
 bgp router-id $A
 no bgp ebgp-requires-policy
 no bgp network import-check
 neighbor $B remote-as 65002
 neighbor $B timers 3 9
 address-family ipv4 unicast
  network 192.0.2.0/24
 exit-address-family
!"
lab_bird ps-t2 t2 "router id $B;
protocol device {}
protocol bfd {
  interface \"pst2g0\" { min rx interval 500 ms; min tx interval 200 ms; idle tx interval 1 s; multiplier 5; };
}
protocol bgp t1 {
  local $B as 65002;
  neighbor $A as 65001;
  hold time 9;
  ipv4 { import all; export none; };
  bfd on;
}"
bgp_established() { lab_vtysh t1 "show bgp neighbors $B json" | grep -q '"bgpState":"Established"'; }
bfd_up() { lab_vtysh t1 "show bfd peers json" | grep -q '"status":"up"'; }
lab_wait 40 "BGP Established through the tunnel" bgp_established
lab_vtysh t1 "configure terminal" "router bgp 65001" "neighbor $B bfd profile lab" "end" >/dev/null
lab_wait 30 "BFD Up through the tunnel" bfd_up
sleep 10
lab_stop_captures
cp "$LAB_TMP/underlay.pcap" "$OUT/$NAME.pcap"

python3 "$LAB_DIR/manifest.py" "$OUT/$NAME.json" <<JSON
{
  "scenario": "$NAME",
  "description": "eBGP with BFD between FRR (t1) and BIRD (t2) inside a GRE tunnel whose underlay is 802.1Q-tagged (VLAN $VLAN), captured on the underlay: Ethernet / 802.1Q / IPv4 (GRE) / GRE / IPv4 / UDP / BFD, and TCP/BGP likewise.",
  "how_produced": "The kernel here has no gre or vlan link types, so the tunnel is built in userspace by tools/lab/gre-relay.py (python3, stdlib): each router namespace has a TUN device (pst1g0/pst2g0, inner addresses $A/30 and $B/30, MTU 1400) on which FRR and BIRD run unchanged. Each relay reads the inner IPv4 packets from its TUN, prepends a 4-byte RFC 2784 GRE header (no checksum/key/sequence, protocol 0x0800), an outer IPv4 header ($UA <-> $UB, protocol 47, TTL 64, DF) and an Ethernet header with an 802.1Q tag (VLAN $VLAN, priority 0) to the other relay's MAC, and sends the frame on the underlay veth (psu1/psu2, no IP addresses, IPv6 off) with an AF_PACKET socket; the other relay unwraps and writes the inner packet to its TUN. tcpdump on psu1 records the frames as they are on the wire between the relays. Not a kernel GRE/VLAN stack: the outer IPv4 ID is a per-relay counter and the outer TTL is fixed at 64.",
  "daemons": $(lab_versions),
  "topology": {"t1": {"namespace": "ps-t1", "daemon": "frr (zebra, bfdd, bgpd)", "tunnel_interface": "pst1g0", "address": "$A/30", "underlay": {"interface": "psu1", "address": "$UA", "mac": "$MAC1"}, "asn": 65001},
               "t2": {"namespace": "ps-t2", "daemon": "bird", "tunnel_interface": "pst2g0", "address": "$B/30", "underlay": {"interface": "psu2", "address": "$UB", "mac": "$MAC2"}, "asn": 65002},
               "tunnel": {"type": "GRE (RFC 2784), protocol 0x0800", "vlan": $VLAN, "outer_ttl": 64}},
  "bfd": {"t1": {"desired_min_tx_us": 300000, "required_min_rx_us": 300000, "multiplier": 3},
          "t2": {"desired_min_tx_us": 200000, "required_min_rx_us": 500000, "multiplier": 5, "idle_tx_us": 1000000}},
  "bgp": {"t1": {"asn": 65001, "announces": "192.0.2.0/24"}, "t2": {"asn": 65002, "announces": "nothing"}},
  "captures": [{"file": "$NAME.pcap", "where": "underlay veth psu1 in ps-t1, both directions, no filter"}],
  "faults": [],
  "facts": [
    {"id": "encap", "text": "every BFD packet is Ethernet / 802.1Q VLAN $VLAN / IPv4 / GRE / IPv4 / UDP", "check": {"kind": "bfd_all", "match": {"encap": "eth/vlan $VLAN/ip/gre/ip/udp"}}},
    {"id": "inner-ttl", "text": "the inner (BFD) packets keep TTL 255: single hop through the tunnel", "check": {"kind": "bfd_all", "match": {"ip.ttl": 255, "udp.dstport": 3784}}},
    {"id": "up-t1", "text": "FRR sends Up inside the tunnel", "check": {"kind": "bfd_seen", "src": "$A", "dst": "$B", "match": {"peerscope.bfd.sta_name": "Up"}}},
    {"id": "up-t2", "text": "BIRD sends Up inside the tunnel", "check": {"kind": "bfd_seen", "src": "$B", "dst": "$A", "match": {"peerscope.bfd.sta_name": "Up"}}},
    {"id": "timers-t1", "text": "FRR advertises 300/300 ms x3 while Up", "check": {"kind": "bfd_params", "src": "$A", "desired_tx": 300000, "required_rx": 300000, "mult": 3}},
    {"id": "timers-t2", "text": "BIRD advertises 200/500 ms x5 while Up", "check": {"kind": "bfd_params", "src": "$B", "desired_tx": 200000, "required_rx": 500000, "mult": 5}},
    {"id": "bgp-keepalives", "text": "BGP runs through the tunnel (KEEPALIVEs both ways)", "decoder": "tshark", "check": {"kind": "bgp_messages", "type": 4, "min": 4}},
    {"id": "bgp-announce", "text": "FRR announces 192.0.2.0/24 through the tunnel", "decoder": "tshark", "check": {"kind": "bgp_prefixes", "src": "$A", "which": "announced", "count": 1}}
  ]
}
JSON
