# Sourced by scripts/test.sh (after the private Docker daemon is up). Builds the real Debian
# images the image tests read (crates/image/tests/debian_live.rs, crates/cli/tests/image_debian.rs):
#
# - a Debian bookworm root file system from `debootstrap --variant=minbase`, with the mirror this
#   machine's apt sources name, imported with `docker import` as RAMPART_TEST_DEBIAN_IMAGE;
# - an application image built FROM it with `docker build` that plants fake secrets: files (one
#   kept, some deleted by a later layer), one in ENV, one in a LABEL, one passed as a build
#   argument that lands in the image history (RAMPART_TEST_DEBIAN_APP_IMAGE);
# - `docker save` tars of both (RAMPART_TEST_DEBIAN_TAR, RAMPART_TEST_DEBIAN_APP_TAR) and the
#   root file system directory (RAMPART_TEST_DEBIAN_ROOTFS).
#
# debootstrap is the slow part (a minute or more), so its result is cached as a tarball under
# target/test-cache (or $RAMPART_TEST_CACHE): repeated local runs reuse it; CI starts clean.
# Needs root and RAMPART_TEST_DOCKER_HOST; otherwise it says why and exports nothing.

# The first mirror this machine's apt sources use for Debian bookworm (deb822 .sources files
# and one-line .list files). Read, never written down: the repository names no mirror.
debian_mirror_from_apt_sources() {
  local file
  for file in /etc/apt/sources.list.d/*.sources; do
    [ -f "$file" ] || continue
    # deb822 stanzas are separated by blank lines: print URIs of a stanza whose Types has deb
    # and whose Suites has bookworm.
    awk 'BEGIN { RS = ""; FS = "\n" }
      {
        uris = ""; deb = 0; suite = 0
        for (i = 1; i <= NF; i++) {
          line = $i
          if (line ~ /^[ \t]*#/) continue
          if (line ~ /^Types:/ && line ~ /(^|[ \t:])deb([ \t]|$)/) deb = 1
          if (line ~ /^Suites:/ && line ~ /[ \t:]bookworm([ \t]|$)/) suite = 1
          if (line ~ /^URIs:/) { sub(/^URIs:[ \t]*/, "", line); split(line, parts, /[ \t]+/); uris = parts[1] }
        }
        if (deb && suite && uris != "") { print uris; exit }
      }' "$file"
  done
  for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$file" ] || continue
    # deb [options] URI suite components...
    awk '$1 == "deb" {
        i = 2
        if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
        if ($(i + 1) == "bookworm") { print $i; exit }
      }' "$file"
  done
}

# Fake secrets, random at each run so the repository holds none (scanners should not flag this
# file) while each still has the shape its scanner rule recognises.
random_alnum() { LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c "$1"; }
random_upper() { LC_ALL=C tr -dc 'A-Z0-9' </dev/urandom | head -c "$1"; }

build_debian_test_images() {
  local host=$RAMPART_TEST_DOCKER_HOST
  local cache=${RAMPART_TEST_CACHE:-$PWD/target/test-cache}
  local tarball=$cache/debian-bookworm-minbase-v1.tar
  local work
  work=$(mktemp -d /tmp/rampart-debian.XXXXXX)
  on_exit "rm -rf '$work'"
  mkdir -p "$cache" "$work/rootfs"

  if [ ! -s "$tarball" ]; then
    apt_install debootstrap || return 1
    local mirror
    # RAMPART_DEBIAN_MIRROR overrides, for machines whose apt sources are not Debian bookworm.
    mirror=${RAMPART_DEBIAN_MIRROR:-$(debian_mirror_from_apt_sources | head -n 1)}
    if [ -z "$mirror" ]; then
      echo "scripts/setup.d/20-debian-image.sh: no Debian bookworm mirror in /etc/apt/sources.list* (set RAMPART_DEBIAN_MIRROR)" >&2
      return 1
    fi
    echo "scripts/setup.d/20-debian-image.sh: debootstrap --variant=minbase bookworm (cached in $tarball afterwards)" >&2
    local build=$work/debootstrap
    if ! debootstrap --variant=minbase bookworm "$build" "$mirror" >"$work/debootstrap.log" 2>&1; then
      echo "scripts/setup.d/20-debian-image.sh: debootstrap failed; its log:" >&2
      tail -n 30 "$work/debootstrap.log" >&2
      return 1
    fi
    # Downloaded .debs are not part of the image.
    rm -rf "$build"/var/cache/apt/archives/*.deb
    tar --numeric-owner -C "$build" -cf "$tarball.partial" . && mv "$tarball.partial" "$tarball"
    rm -rf "$build"
  fi
  tar --numeric-owner -C "$work/rootfs" -xf "$tarball" || return 1

  local base=rampart-test/debian:bookworm app=rampart-test/debian-app:secrets
  docker -H "$host" import "$tarball" "$base" >/dev/null || return 1

  # The application image. Classic builder (DOCKER_BUILDKIT=0): a build argument used by a RUN
  # step is written into that step's history line (`|1 DEPLOY_TOKEN=... /bin/sh -c ...`).
  local context=$work/app
  mkdir -p "$context"
  printf '[default]\naws_access_key_id = AKIA%s\naws_secret_access_key = %s\n' "$(random_upper 16)" "$(random_alnum 40)" >"$context/credentials"
  apt_install openssl || return 1
  openssl genpkey -algorithm ed25519 -out "$context/deploy_key" 2>/dev/null || return 1
  printf 'SLACK_WEBHOOK=https://hooks.slack.com/services/T%s/B%s/%s\nGITLAB_TOKEN=glpat-%s\n' \
    "$(random_upper 8)" "$(random_upper 10)" "$(random_alnum 24)" "$(random_alnum 20)" >"$context/app.env"
  cat >"$context/Dockerfile" <<EOF
FROM $base
ARG DEPLOY_TOKEN
LABEL org.example.registry-token="glpat-$(random_alnum 20)"
ENV STRIPE_API_KEY=sk_live_$(random_alnum 24)
COPY credentials /root/.aws/credentials
COPY deploy_key /root/.ssh/id_ed25519
COPY app.env /srv/app/.env
RUN echo "fetching with \$DEPLOY_TOKEN" >/dev/null && mkdir -p /srv/app/data
RUN rm /root/.ssh/id_ed25519 /srv/app/.env
EOF
  if ! DOCKER_BUILDKIT=0 docker -H "$host" build -q --build-arg "DEPLOY_TOKEN=ghp_$(random_alnum 36)" -t "$app" "$context" >"$work/build.log" 2>&1; then
    cat "$work/build.log" >&2
    return 1
  fi

  docker -H "$host" save -o "$work/debian.tar" "$base" || return 1
  docker -H "$host" save -o "$work/debian-app.tar" "$app" || return 1
  export RAMPART_TEST_DEBIAN_IMAGE=$base
  export RAMPART_TEST_DEBIAN_APP_IMAGE=$app
  export RAMPART_TEST_DEBIAN_TAR=$work/debian.tar
  export RAMPART_TEST_DEBIAN_APP_TAR=$work/debian-app.tar
  export RAMPART_TEST_DEBIAN_ROOTFS=$work/rootfs
}

if [ -z "${RAMPART_TEST_DEBIAN_IMAGE:-}" ]; then
  if [ "$(id -u)" != 0 ] || [ -z "${RAMPART_TEST_DOCKER_HOST:-}" ]; then
    echo "scripts/setup.d/20-debian-image.sh: needs root and the private Docker daemon; the Debian image tests will fail unless RAMPART_SKIP_LIVE=1" >&2
  elif ! build_debian_test_images; then
    echo "scripts/setup.d/20-debian-image.sh: could not build the Debian test images; their tests will fail unless RAMPART_SKIP_LIVE=1" >&2
  fi
fi
