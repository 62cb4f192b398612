# Sourced by scripts/test.sh and bench/audit.sh: starts a private Docker daemon (its own socket,
# data root, exec root and pidfile under a temporary directory, so a daemon the user already
# runs is never touched) and stops it on exit. Needs root.
#
# After start_private_dockerd: PRIVATE_DOCKER_HOST=unix://.../docker.sock, PRIVATE_DOCKER_DIR.

# shellcheck source=setup.sh
. "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

install_live_packages() {
  local packages=()
  command -v dockerd >/dev/null || packages+=(docker.io)
  # A static busybox: test images are built FROM scratch with it (nothing can be pulled).
  { command -v busybox >/dev/null && ! ldd "$(command -v busybox)" >/dev/null 2>&1; } || packages+=(busybox-static)
  [ ${#packages[@]} -eq 0 ] || apt_install "${packages[@]}"
}

stop_private_dockerd() {
  [ -n "${PRIVATE_DOCKER_DIR:-}" ] || return 0
  if [ -f "$PRIVATE_DOCKER_DIR/docker.pid" ]; then
    # Containers and networks first: each user-defined network is a bridge interface in the
    # kernel, which outlives the daemon unless the daemon removes it.
    local docker=(docker -H "$PRIVATE_DOCKER_HOST")
    "${docker[@]}" ps -aq 2>/dev/null | xargs -r "${docker[@]}" rm -f >/dev/null 2>&1 || true
    "${docker[@]}" network prune -f >/dev/null 2>&1 || true
    kill "$(cat "$PRIVATE_DOCKER_DIR/docker.pid")" 2>/dev/null || true
    for _ in $(seq 1 100); do [ -f "$PRIVATE_DOCKER_DIR/docker.pid" ] || break; sleep 0.2; done
  fi
  [ -z "${PRIVATE_DOCKER_BRIDGE:-}" ] || ip link delete "$PRIVATE_DOCKER_BRIDGE" 2>/dev/null || true
  # dockerd leaves its data root bind-mounted on itself: unmount what is left under the
  # temporary directory (deepest first) before removing it.
  awk -v dir="$PRIVATE_DOCKER_DIR" '$2 == dir || index($2, dir "/") == 1 { print $2 }' /proc/mounts | sort -r |
    while read -r mount_point; do umount -l "$mount_point" 2>/dev/null || true; done
  rm -rf "$PRIVATE_DOCKER_DIR" 2>/dev/null || true
}

# A bridge of the private daemon's own for its default network, so that it never shares
# docker0 (and its iptables rules) with another daemon on the machine: a daemon that stops
# deletes its bridge, and one sharing it would lose its network. The subnet is one of
# 172.31.0.0/16's /24s that no interface uses yet. Sets PRIVATE_DOCKER_BRIDGE.
create_private_bridge() {
  local name="rampart$$" third
  for third in $(shuf -i 1-254 -n 254); do
    ip -4 addr show | grep -q "inet 172\.31\.$third\." && continue
    ip link add "$name" type bridge 2>/dev/null || return 1
    ip addr add "172.31.$third.1/24" dev "$name" && ip link set "$name" up && break
    ip link delete "$name"; return 1
  done
  ip link show "$name" >/dev/null 2>&1 || return 1
  PRIVATE_DOCKER_BRIDGE=$name
  # User-defined networks get their subnets from a pool of the same daemon's own.
  PRIVATE_DOCKER_POOL="base=10.$((64 + RANDOM % 128)).0.0/16,size=24"
}

start_private_dockerd() {
  PRIVATE_DOCKER_DIR=$(mktemp -d /tmp/rampart-dockerd.XXXXXX)
  on_exit stop_private_dockerd
  PRIVATE_DOCKER_HOST="unix://$PRIVATE_DOCKER_DIR/docker.sock"
  local network_options=()
  if command -v ip >/dev/null && create_private_bridge; then
    network_options=(--bridge "$PRIVATE_DOCKER_BRIDGE" --default-address-pool "$PRIVATE_DOCKER_POOL")
  fi
  dockerd --host "$PRIVATE_DOCKER_HOST" --data-root "$PRIVATE_DOCKER_DIR/data" --exec-root "$PRIVATE_DOCKER_DIR/exec" \
    --pidfile "$PRIVATE_DOCKER_DIR/docker.pid" "${network_options[@]}" >"$PRIVATE_DOCKER_DIR/dockerd.log" 2>&1 &
  for _ in $(seq 1 150); do
    docker -H "$PRIVATE_DOCKER_HOST" version >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "the private Docker daemon did not start within 30 s. Its log ($PRIVATE_DOCKER_DIR/dockerd.log):" >&2
  cat "$PRIVATE_DOCKER_DIR/dockerd.log" >&2
  return 1
}
