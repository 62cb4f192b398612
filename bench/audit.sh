#!/usr/bin/env bash
# Times `rampart audit` against a private Docker daemon holding N containers (N = 10, 50, 200 by
# default): wall-clock, user and system CPU in seconds, the median of 3 runs (by wall time).
# Run as root: it starts the daemon.
#
#   bash bench/audit.sh            # builds rampart in release mode first
#   RAMPART_BIN=target/debug/rampart bash bench/audit.sh 10 50
#
# A fifth of the containers run (`sleep`), the others are created in assorted risky shapes and
# never started, as on a host with leftovers; every one is inspected by the audit either way.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "bench/audit.sh: run as root (it starts a private Docker daemon)" >&2; exit 2; }
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10 50 200)

. scripts/lib/private-dockerd.sh
install_live_packages
if [ -z "${RAMPART_BIN:-}" ]; then
  cargo build --release --locked -p rampart >&2
  RAMPART_BIN=target/release/rampart
fi
start_private_dockerd
docker_cli() { docker -H "$PRIVATE_DOCKER_HOST" "$@"; }

context=$(mktemp -d)
mkdir "$context/bin"
cp "$(command -v busybox)" "$context/bin/busybox"
for applet in sh sleep true; do ln -s busybox "$context/bin/$applet"; done
printf 'FROM scratch\nCOPY bin /bin\nCMD ["/bin/sh"]\n' >"$context/Dockerfile"
DOCKER_BUILDKIT=0 docker_cli build -q -t bench-bb:1 "$context" >/dev/null 2>&1
rm -rf "$context"

shapes=("--privileged" "--cap-add SYS_ADMIN" "-v /:/host:ro" "--pid host" "-p 127.0.0.1::80"
        "--security-opt seccomp=unconfined" "-e API_TOKEN=hunter2hunter2" "--user 0:0" "--restart always" "")
created=0
add_containers() {
  local target=$1
  while [ "$created" -lt "$target" ]; do
    local shape=${shapes[$((created % ${#shapes[@]}))]}
    if [ $((created % 5)) = 0 ]; then
      # shellcheck disable=SC2086
      docker_cli run -d --name "bench-$created" --memory 32m bench-bb:1 sleep 86400 >/dev/null
    else
      # shellcheck disable=SC2086
      docker_cli create --name "bench-$created" $shape bench-bb:1 sleep 86400 >/dev/null
    fi
    created=$((created + 1))
  done
}

echo "| containers | wall (s) | user CPU (s) | system CPU (s) | findings |"
echo "|---:|---:|---:|---:|---:|"
for size in "${sizes[@]}"; do
  add_containers "$size"
  runs=()
  for _ in 1 2 3; do
    # bash's own `time`, to the millisecond: wall, user CPU, system CPU.
    timing=$( { TIMEFORMAT='%3R %3U %3S'; time "$RAMPART_BIN" audit --host "$PRIVATE_DOCKER_HOST" --format json \
      -o /tmp/rampart-bench-report.json --fail-on never >/dev/null 2>&1; } 2>&1 | tail -1)
    runs+=("$timing")
  done
  median=$(printf '%s\n' "${runs[@]}" | sort -n | sed -n 2p)
  findings=$(grep -o '"findings": *[0-9]*' /tmp/rampart-bench-report.json | tail -1 | grep -o '[0-9]*$')
  read -r wall user sys <<<"$median"
  echo "| $size | $wall | $user | $sys | $findings |"
done
rm -f /tmp/rampart-bench-report.json
