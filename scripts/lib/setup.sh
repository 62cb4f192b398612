# Sourced by scripts/test.sh, scripts/setup.d/*.sh, scripts/lib/private-dockerd.sh and the
# benchmarks: two small helpers shared by everything that prepares a machine for the tests.

# apt_install PACKAGE...: installs the Debian packages that are missing, as root, running
# `apt-get update` at most once per shell. Fails with a clear message when not root.
apt_install() {
  local missing=() package
  for package in "$@"; do
    dpkg-query -W -f '${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "please install these Debian packages: ${missing[*]}" >&2
    return 1
  fi
  if [ -z "${RAMPART_APT_UPDATED:-}" ]; then
    apt-get update -qq
    RAMPART_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# on_exit COMMAND: runs COMMAND when the shell exits, after the ones registered before it
# (one EXIT trap serves every setup step, so none replaces another's).
RAMPART_ON_EXIT=${RAMPART_ON_EXIT:-}
on_exit() {
  RAMPART_ON_EXIT="$1; ${RAMPART_ON_EXIT}"
  # shellcheck disable=SC2064
  trap "$RAMPART_ON_EXIT" EXIT
}
