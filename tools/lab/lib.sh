# Shared functions for the lab scenarios (sourced by tools/lab/run). Everything created here is
# prefixed: namespaces "ps-", interfaces "ps", so tests can assert nothing is left behind, and
# traffic stays inside namespaces created here (documentation addresses only). Veth pairs are
# created directly inside the namespaces: nothing is ever added to the root namespace.

LAB_PIDS=()
LAB_NAMESPACES=()
LAB_TMP=""
LAB_LOCK=/run/lock/peerscope-lab.lock
[[ -d /run/lock ]] || LAB_LOCK=/tmp/peerscope-lab.lock

lab_fail() { echo "tools/lab: $*" >&2; exit 2; }

lab_require() {
  [[ $(id -u) -eq 0 ]] || lab_fail "must run as root (it creates network namespaces)"
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || [[ -x "$tool" ]] || lab_fail "missing $tool (apt-get install frr bird2 gobgpd tcpdump tshark)"
  done
}

lab_init() {
  # One lab run at a time on a machine: the namespace names are fixed. fd 9 holds the lock; the
  # processes started below do not inherit it.
  exec 9>"$LAB_LOCK"
  flock -w 300 9 || lab_fail "another lab run still holds $LAB_LOCK after 300 s"
  LAB_TMP=$(mktemp -d /tmp/peerscope-lab.XXXXXX)
  chmod 755 "$LAB_TMP"
  trap lab_cleanup EXIT
  trap 'exit 130' INT TERM
}

# Ends only the processes started here, by PID, then removes the namespaces and the temp dir.
lab_cleanup() {
  local pid ns i
  trap - INT TERM
  for pid in "${LAB_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for i in $(seq 20); do
    local alive=no
    for pid in "${LAB_PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=yes; done
    [[ $alive == no ]] && break
    sleep 0.1
  done
  for pid in "${LAB_PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  for pid in "${LAB_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  for ns in "${LAB_NAMESPACES[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
  if [[ -n ${LAB_KEEP_TMP:-} && -n $LAB_TMP ]]; then
    echo "tools/lab: kept $LAB_TMP (daemon logs and configs)" >&2
  elif [[ -n $LAB_TMP && -d $LAB_TMP ]]; then
    rm -rf "$LAB_TMP"
  fi
  LAB_PIDS=()
  LAB_NAMESPACES=()
}

lab_ns() {
  local ns=$1
  [[ $ns == ps-* ]] || lab_fail "namespace $ns lacks the ps- prefix"
  if ip netns list | awk '{print $1}' | grep -qx "$ns"; then
    lab_fail "namespace $ns already exists (a lab run that did not finish? remove it with: ip netns del $ns)"
  fi
  ip netns add "$ns"
  LAB_NAMESPACES+=("$ns")
  ip -n "$ns" link set lo up
}

# lab_link NS1 IF1 NS2 IF2: a veth pair between two namespaces, created inside NS1.
lab_link() {
  [[ $2 == ps* && $4 == ps* ]] || lab_fail "interface names must start with ps"
  ip -n "$1" link add "$2" type veth peer name "$4" netns "$3"
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
  ip netns exec "$ns" "$@" >>"$LAB_TMP/spawn.log" 2>&1 9>&- &
  LAB_PIDS+=($!)
  [[ -n ${LAB_PID_LOG:-} ]] && echo "$! $*" >>"$LAB_PID_LOG"
  return 0
}

# Capture what arrives on an interface from its peer (-Q in), unbuffered, to FILE.
lab_capture() {  # lab_capture NS IFACE FILE [direction] [filter]
  lab_spawn "$1" tcpdump -i "$2" -Q "${4:-in}" -U -s 0 -w "$3" "${5-udp or tcp port 179}"
}

lab_stop_captures() {  # give tcpdump a moment to flush, then stop only the tcpdumps
  local pid
  sleep 1
  for pid in "${LAB_PIDS[@]}"; do
    if [[ $(cat /proc/"$pid"/comm 2>/dev/null) == tcpdump ]]; then kill "$pid" 2>/dev/null || true; fi
  done
  for pid in "${LAB_PIDS[@]}"; do
    if [[ $(cat /proc/"$pid"/comm 2>/dev/null) == tcpdump ]]; then wait "$pid" 2>/dev/null || true; fi
  done
}

# FRR: zebra, bfdd, bgpd in NS with a private directory, as LAB-NOTES.md describes.
lab_frr() {  # lab_frr NS NAME CONFIG_TEXT
  local ns=$1 name=$2 dir="$LAB_TMP/$2"
  mkdir -p "$dir"
  printf '%s\n' "$3" >"$dir/frr.conf"
  chown -R frr:frr "$dir"
  local common=(-f "$dir/frr.conf" -z "$dir/zserv.api" --vty_socket "$dir" -u frr -g frr -P 0)
  lab_spawn "$ns" /usr/lib/frr/zebra "${common[@]}" -i "$dir/zebra.pid" --log "file:$dir/zebra.log"
  lab_wait 10 "zebra of $name" test -S "$dir/zserv.api"
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
    if (( SECONDS - start >= limit )); then echo "tools/lab: timed out after ${limit}s waiting for $what" >&2; exit 1; fi
    sleep 0.5
  done
}

lab_now_ns() { date +%s%N; }

# The versions the manifest records, asked from the binaries themselves.
lab_versions() {
  local frr bird gobgp tcpdump
  frr=$(/usr/lib/frr/zebra --version 2>/dev/null | sed -n '1s/.*version //p')
  bird=$(bird --version 2>&1 | sed -n 's/^BIRD version //p')
  gobgp=$(gobgpd --version 2>/dev/null | sed -n 's/^gobgpd version //p')
  tcpdump=$(tcpdump --version 2>&1 | sed -n '1s/^tcpdump version //p')
  printf '{"frr": "%s", "bird": "%s", "gobgpd": "%s", "tcpdump": "%s", "kernel": "%s"}' \
    "${frr:-unknown}" "${bird:-unknown}" "${gobgp:-unknown}" "${tcpdump:-unknown}" "$(uname -r)"
}
