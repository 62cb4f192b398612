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

cargo test --workspace --locked "$@"
