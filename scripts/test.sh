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
  # shellcheck source=lib/private-dockerd.sh
  . scripts/lib/private-dockerd.sh
  install_live_packages
  start_private_dockerd || { echo "scripts/test.sh: cannot run the live audit tests" >&2; exit 2; }
  export RAMPART_TEST_DOCKER_HOST="$PRIVATE_DOCKER_HOST"
fi

# Each file in scripts/setup.d prepares one thing more that some tests need (a Debian image, a
# browser, an ssh server...): it is sourced in name order, may call apt_install and on_exit from
# scripts/lib/setup.sh, and exports the variables its tests read. A step that cannot run here
# (not root, no daemon) says so and exports nothing; the tests that need it then fail unless
# RAMPART_SKIP_LIVE=1.
# shellcheck source=lib/setup.sh
. scripts/lib/setup.sh
for step in scripts/setup.d/*.sh; do
  [ -e "$step" ] || continue
  # shellcheck disable=SC1090
  . "$step"
done

# `rampart image` and `rampart audit` read the user's advisory database by default: the tests
# must not see a developer's real one (those that need a database pass --db).
XDG_DATA_HOME=$(mktemp -d /tmp/rampart-test-data.XXXXXX)
export XDG_DATA_HOME
on_exit "rm -rf '$XDG_DATA_HOME'"

cargo test --workspace --locked "$@"
