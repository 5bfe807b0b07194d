# Shared functions for the lab scenarios (sourced by tools/lab/run). Everything created here is
# prefixed: namespaces "ps-", interfaces "ps", so tests can assert nothing is left behind, and
# traffic stays inside namespaces created here (documentation addresses only).

LAB_PIDS=()
LAB_NAMESPACES=()
LAB_TMP=""

lab_fail() { echo "tools/lab: $*" >&2; exit 2; }

lab_require() {
  [[ $(id -u) -eq 0 ]] || lab_fail "must run as root (it creates network namespaces)"
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || [[ -x "$tool" ]] || lab_fail "missing $tool (run tools/setup --lab)"
  done
}

lab_init() {
  LAB_TMP=$(mktemp -d /tmp/peerscope-lab.XXXXXX)
  chmod 755 "$LAB_TMP"
  trap lab_cleanup EXIT
  trap 'exit 130' INT TERM
}

# Ends only the processes started here, by PID, then removes the namespaces and the temp dir.
lab_cleanup() {
  local pid ns
  for pid in "${LAB_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  sleep 0.5
  for pid in "${LAB_PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  for ns in "${LAB_NAMESPACES[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
  [[ -n $LAB_TMP && -d $LAB_TMP ]] && rm -rf "$LAB_TMP"
  LAB_PIDS=()
  LAB_NAMESPACES=()
}

lab_ns() {
  local ns=$1
  ip netns del "$ns" 2>/dev/null || true
  ip netns add "$ns"
  LAB_NAMESPACES+=("$ns")
  ip -n "$ns" link set lo up
}

# lab_link NS1 IF1 NS2 IF2: a veth pair between two namespaces.
lab_link() {
  ip link add "$2" type veth peer name "$4"
  ip link set "$2" netns "$1"
  ip link set "$4" netns "$3"
  ip -n "$1" link set "$2" up
  ip -n "$3" link set "$4" up
}

# lab_bridge NS BRIDGE PORT...: a Linux bridge in NS with the given ports.
lab_bridge() {
  local ns=$1 bridge=$2 port
  shift 2
  ip -n "$ns" link add "$bridge" type bridge
  ip -n "$ns" link set "$bridge" up
  for port in "$@"; do ip -n "$ns" link set "$port" master "$bridge"; done
}

lab_addr() { ip -n "$1" addr add "$3" dev "$2" ${4:-}; }

lab_spawn() {  # lab_spawn NS COMMAND... : start in background, remember the PID
  local ns=$1
  shift
  ip netns exec "$ns" "$@" >>"$LAB_TMP/spawn.log" 2>&1 &
  LAB_PIDS+=($!)
}

# Capture what arrives on an interface from its peer (-Q in), unbuffered, to FILE.
lab_capture() {  # lab_capture NS IFACE FILE [direction]
  ip netns exec "$1" tcpdump -i "$2" -Q "${4:-in}" -U -s 0 -w "$3" 'udp or tcp port 179' >>"$LAB_TMP/tcpdump.log" 2>&1 &
  LAB_PIDS+=($!)
}

lab_stop_captures() {  # give tcpdump a moment to flush, then stop only the tcpdumps
  local pid
  sleep 1
  for pid in "${LAB_PIDS[@]}"; do
    if [[ $(cat /proc/"$pid"/comm 2>/dev/null) == tcpdump ]]; then kill "$pid" 2>/dev/null || true; fi
  done
  sleep 1
}

# FRR: zebra, bfdd, bgpd in NS with a private directory, as LAB-NOTES.md describes.
lab_frr() {  # lab_frr NS NAME CONFIG_TEXT
  local ns=$1 name=$2 dir="$LAB_TMP/$2"
  mkdir -p "$dir"
  printf '%s\n' "$3" >"$dir/frr.conf"
  chown -R frr:frr "$dir"
  local common=(-f "$dir/frr.conf" -z "$dir/zserv.api" --vty_socket "$dir" -u frr -g frr -P 0)
  lab_spawn "$ns" /usr/lib/frr/zebra "${common[@]}" -i "$dir/zebra.pid" --log "file:$dir/zebra.log"
  sleep 1
  lab_spawn "$ns" /usr/lib/frr/bfdd "${common[@]}" -i "$dir/bfdd.pid" --bfdctl "$dir/bfdd.sock" --log "file:$dir/bfdd.log"
  lab_spawn "$ns" /usr/lib/frr/bgpd "${common[@]}" -i "$dir/bgpd.pid" --log "file:$dir/bgpd.log"
}

lab_vtysh() {  # lab_vtysh NAME COMMAND...
  local name=$1
  shift
  local args=()
  local command
  for command in "$@"; do args+=(-c "$command"); done
  vtysh --vty_socket "$LAB_TMP/$name" "${args[@]}" 2>&1
}

lab_bird() {  # lab_bird NS NAME CONFIG_TEXT
  local ns=$1 name=$2 dir="$LAB_TMP/$2"
  mkdir -p "$dir"
  printf '%s\n' "$3" >"$dir/bird.conf"
  lab_spawn "$ns" bird -f -c "$dir/bird.conf" -s "$dir/bird.ctl" -P "$dir/bird.pid"
}

lab_birdc() { local name=$1; shift; birdc -s "$LAB_TMP/$name/bird.ctl" "$@" 2>&1; }

# lab_wait SECONDS DESCRIPTION COMMAND...: poll until COMMAND succeeds, or fail after SECONDS.
lab_wait() {
  local limit=$1 what=$2
  shift 2
  local start=$SECONDS
  until "$@" >/dev/null 2>&1; do
    (( SECONDS - start >= limit )) && lab_fail "timed out after ${limit}s waiting for $what"
    sleep 0.5
  done
}

lab_now_ns() { date +%s%N; }

# The version strings the manifest records.
lab_versions() {
  local frr bird gobgp
  frr=$(dpkg-query -W -f='${Version}' frr 2>/dev/null || echo unknown)
  bird=$(dpkg-query -W -f='${Version}' bird2 2>/dev/null || echo unknown)
  gobgp=$(dpkg-query -W -f='${Version}' gobgpd 2>/dev/null || echo unknown)
  printf '{"frr": "%s", "bird2": "%s", "gobgpd": "%s", "tcpdump": "%s"}' "$frr" "$bird" "$gobgp" \
    "$(dpkg-query -W -f='${Version}' tcpdump 2>/dev/null || echo unknown)"
}
