#!/usr/bin/env bash
# Runs every test of rampart. This is the README's test command and what CI runs.
# It installs what the tests need when it is missing (as root, with apt), so a fresh machine with
# Rust is enough.
set -euo pipefail
cd "$(dirname "$0")/.."

need_packages=()
command -v git >/dev/null || need_packages+=(git)
command -v setpriv >/dev/null || need_packages+=(util-linux)
if [ ${#need_packages[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_packages[@]}"
  else
    echo "scripts/test.sh: please install: ${need_packages[*]}" >&2
    exit 2
  fi
fi

# The live audit tests (crates/cli/tests/audit_live.rs) need a real Docker daemon. As root, a
# private one is started here with its own socket, data root, exec root and pidfile under a
# temporary directory, so a daemon the user already runs is never touched, and it is stopped on
# exit. Without root the tests are told nothing and fail, unless RAMPART_SKIP_LIVE=1 is set.
if [ -z "${RAMPART_TEST_DOCKER_HOST:-}" ] && [ "${RAMPART_SKIP_LIVE:-}" != 1 ] && [ "$(id -u)" = 0 ]; then
  live_packages=()
  command -v dockerd >/dev/null || live_packages+=(docker.io)
  { command -v busybox >/dev/null && busybox --help >/dev/null 2>&1 && ! ldd "$(command -v busybox)" >/dev/null 2>&1; } \
    || live_packages+=(busybox-static)
  if [ ${#live_packages[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${live_packages[@]}"
  fi
  docker_dir=$(mktemp -d /tmp/rampart-dockerd.XXXXXX)
  stop_private_daemon() {
    if [ -f "$docker_dir/docker.pid" ]; then
      kill "$(cat "$docker_dir/docker.pid")" 2>/dev/null || true
      for _ in $(seq 1 50); do [ -f "$docker_dir/docker.pid" ] || break; sleep 0.2; done
    fi
    # dockerd leaves its data root bind-mounted on itself: unmount what is left under the
    # temporary directory (deepest first) before removing it.
    awk -v dir="$docker_dir" '$2 == dir || index($2, dir "/") == 1 { print $2 }' /proc/mounts | sort -r |
      while read -r mount_point; do umount -l "$mount_point" 2>/dev/null || true; done
    rm -rf "$docker_dir" 2>/dev/null || true
  }
  trap stop_private_daemon EXIT
  dockerd --host "unix://$docker_dir/docker.sock" --data-root "$docker_dir/data" --exec-root "$docker_dir/exec" \
    --pidfile "$docker_dir/docker.pid" >"$docker_dir/dockerd.log" 2>&1 &
  for _ in $(seq 1 100); do
    docker -H "unix://$docker_dir/docker.sock" version >/dev/null 2>&1 && break
    sleep 0.2
  done
  if ! docker -H "unix://$docker_dir/docker.sock" version >/dev/null 2>&1; then
    echo "scripts/test.sh: the private Docker daemon for the live audit tests did not start. Its log:" >&2
    cat "$docker_dir/dockerd.log" >&2
    exit 2
  fi
  export RAMPART_TEST_DOCKER_HOST="unix://$docker_dir/docker.sock"
fi

cargo test --workspace --locked "$@"
