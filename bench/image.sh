#!/usr/bin/env bash
# rampart's one-pass image analysis (config, secrets in every layer, packages) against syft (SBOM)
# and trivy (secret scanner) on the same `docker save` tars: CPU seconds (user + system), peak
# memory, package and secret counts, side by side. Not a test: figures for the README.
#
#   sudo bash bench/image.sh              # builds the Debian images, then measures
#   bash bench/image.sh A.tar B.tar       # measures the given docker-save tars
#
# Without arguments it needs root: it starts a private Docker daemon, builds the Debian images
# scripts/setup.d/20-debian-image.sh makes (debootstrap minbase bookworm, and an application image
# with planted secrets), and a bigger one FROM the application image with more Debian packages
# installed by `docker build` (this step downloads them from the machine's apt mirror).
#
# Peers: syft and trivy from ../shared/bench/peers.sh ($PEERS_DIR/bin, default /opt/rampart-peers),
# run offline: syft without its update check, trivy with only its secret scanners (files and image
# config) and no database download, each trivy run with a fresh cache so nothing is reused.
# rampart: target/release/rampart (built here) or $RAMPART_BIN. Each tool runs $RUNS times (3);
# the table shows the median CPU time and the largest peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
PEERS_BIN=${PEERS_DIR:-/opt/rampart-peers}/bin
RUNS=${RUNS:-3}
for tool in syft trivy; do
  [ -x "$PEERS_BIN/$tool" ] || { echo "bench/image.sh: no $PEERS_BIN/$tool (run ../shared/bench/peers.sh)" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "bench/image.sh: needs GNU time (/usr/bin/time, Debian package time)" >&2; exit 2; }

work=$(mktemp -d /tmp/rampart-bench-image.XXXXXX)
tars=("$@")
if [ ${#tars[@]} -eq 0 ]; then
  [ "$(id -u)" = 0 ] || { echo "bench/image.sh: run as root to build the images, or name docker-save tars" >&2; exit 2; }
  # shellcheck source=../scripts/lib/private-dockerd.sh
  . scripts/lib/private-dockerd.sh
  install_live_packages
  start_private_dockerd
  export RAMPART_TEST_DOCKER_HOST=$PRIVATE_DOCKER_HOST
  unset RAMPART_TEST_DEBIAN_IMAGE
  # shellcheck source=../scripts/setup.d/20-debian-image.sh
  . scripts/setup.d/20-debian-image.sh
  [ -n "${RAMPART_TEST_DEBIAN_APP_IMAGE:-}" ] || { echo "bench/image.sh: the Debian images could not be built" >&2; exit 2; }
  mkdir "$work/big"
  cat >"$work/big/Dockerfile" <<EOF
FROM $RAMPART_TEST_DEBIAN_APP_IMAGE
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \\
      python3 python3-yaml curl ca-certificates openssh-client >/dev/null
EOF
  DOCKER_BUILDKIT=0 docker -H "$PRIVATE_DOCKER_HOST" build -q -t rampart-bench/debian-big:1 "$work/big" >/dev/null 2>"$work/big/build.log" ||
    { cat "$work/big/build.log" >&2; exit 2; }
  docker -H "$PRIVATE_DOCKER_HOST" save -o "$work/debian-big.tar" rampart-bench/debian-big:1
  tars=("$RAMPART_TEST_DEBIAN_TAR" "$RAMPART_TEST_DEBIAN_APP_TAR" "$work/debian-big.tar")
fi
on_exit_bench() { rm -rf "$work"; }
if declare -F on_exit >/dev/null; then on_exit on_exit_bench; else trap on_exit_bench EXIT; fi

if [ -z "${RAMPART_BIN:-}" ]; then
  cargo build --release --locked -p rampart >&2
  RAMPART_BIN=target/release/rampart
fi
export SYFT_CHECK_FOR_APP_UPDATE=false

# measure NAME COMMAND...: runs it $RUNS times; sets cpu (the median of user + system seconds)
# and rss (the largest peak resident set, MiB).
measure() {
  local name=$1 run cpus=() peak=0 user system kib
  shift
  for run in $(seq 1 "$RUNS"); do
    rm -rf "$work/trivy-cache"
    if ! /usr/bin/time -f '%U %S %M' -o "$work/$name.time" "$@" >"$work/$name.out" 2>"$work/$name.err"; then
      echo "bench/image.sh: $name failed (run $run):" >&2
      tail -n 20 "$work/$name.err" >&2
      exit 2
    fi
    read -r user system kib <"$work/$name.time"
    cpus+=("$(awk -v u="$user" -v s="$system" 'BEGIN { printf "%.2f", u + s }')")
    [ "$kib" -gt "$peak" ] && peak=$kib
  done
  cpu=$(printf '%s\n' "${cpus[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p")
  rss=$((peak / 1024))
}

count() { python3 -c "$1" "$2"; }

printf '| image | tar MiB | tool | CPU s | peak MiB | packages | secrets |\n|---|---:|---|---:|---:|---:|---:|\n'
for tar in "${tars[@]}"; do
  name=$(basename "$tar" .tar)
  size=$(( $(stat -c %s "$tar") / 1048576 ))

  measure rampart "$RAMPART_BIN" image "$tar" --format json -o "$work/rampart.json" --fail-on never
  # Secrets in files of any layer (IMG029) and in the config (ENV, LABEL, history).
  secrets=$(count 'import json,sys; r=json.load(open(sys.argv[1])); f=[x for x in r["findings"] if x["rule"]=="IMG029"]; c=[x for x in r["findings"] if x["rule"] in ("IMG003","IMG030","IMG031")]; print(f"{len(f)} files + {len(c)} config")' "$work/rampart.json")
  "$RAMPART_BIN" sbom "$tar" -f cyclonedx -o "$work/rampart.cdx.json"
  packages=$(count 'import json,sys; print(len(json.load(open(sys.argv[1])).get("components", [])))' "$work/rampart.cdx.json")
  printf '| %s | %s | rampart image (config + secrets + packages) | %s | %s | %s | %s |\n' "$name" "$size" "$cpu" "$rss" "$packages" "$secrets"
  rampart_cpu=$cpu

  measure syft "$PEERS_BIN/syft" scan "docker-archive:$tar" -q -o "syft-json=$work/syft.json"
  packages=$(count 'import json,sys; a=json.load(open(sys.argv[1]))["artifacts"]; d=[x for x in a if x["type"]=="deb"]; print(f"{len(a)} ({len(d)} deb)")' "$work/syft.json")
  printf '| %s | %s | syft scan (SBOM) | %s | %s | %s | |\n' "$name" "$size" "$cpu" "$rss" "$packages"
  syft_cpu=$cpu

  measure trivy "$PEERS_BIN/trivy" image --input "$tar" --scanners secret --image-config-scanners secret \
    --skip-db-update --cache-dir "$work/trivy-cache" --format json --output "$work/trivy.json" --quiet
  secrets=$(count 'import json,sys; r=json.load(open(sys.argv[1])); s=[x for res in r.get("Results") or [] for x in res.get("Secrets") or []]; print(len(s))' "$work/trivy.json")
  printf '| %s | %s | trivy image --scanners secret | %s | %s | | %s |\n' "$name" "$size" "$cpu" "$rss" "$secrets"
  trivy_cpu=$cpu

  share=$(awk -v r="$rampart_cpu" -v s="$syft_cpu" -v t="$trivy_cpu" 'BEGIN { printf "%.1f", 100 * r / (s + t) }')
  printf '| %s | | rampart / (syft + trivy) CPU | %s%% | | | |\n' "$name" "$share"
done
