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
    kill "$(cat "$PRIVATE_DOCKER_DIR/docker.pid")" 2>/dev/null || true
    for _ in $(seq 1 100); do [ -f "$PRIVATE_DOCKER_DIR/docker.pid" ] || break; sleep 0.2; done
  fi
  # dockerd leaves its data root bind-mounted on itself: unmount what is left under the
  # temporary directory (deepest first) before removing it.
  awk -v dir="$PRIVATE_DOCKER_DIR" '$2 == dir || index($2, dir "/") == 1 { print $2 }' /proc/mounts | sort -r |
    while read -r mount_point; do umount -l "$mount_point" 2>/dev/null || true; done
  rm -rf "$PRIVATE_DOCKER_DIR" 2>/dev/null || true
}

start_private_dockerd() {
  PRIVATE_DOCKER_DIR=$(mktemp -d /tmp/rampart-dockerd.XXXXXX)
  on_exit stop_private_dockerd
  PRIVATE_DOCKER_HOST="unix://$PRIVATE_DOCKER_DIR/docker.sock"
  dockerd --host "$PRIVATE_DOCKER_HOST" --data-root "$PRIVATE_DOCKER_DIR/data" --exec-root "$PRIVATE_DOCKER_DIR/exec" \
    --pidfile "$PRIVATE_DOCKER_DIR/docker.pid" >"$PRIVATE_DOCKER_DIR/dockerd.log" 2>&1 &
  for _ in $(seq 1 150); do
    docker -H "$PRIVATE_DOCKER_HOST" version >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "the private Docker daemon did not start within 30 s. Its log ($PRIVATE_DOCKER_DIR/dockerd.log):" >&2
  cat "$PRIVATE_DOCKER_DIR/dockerd.log" >&2
  return 1
}
