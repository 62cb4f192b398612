# Sourced by scripts/test.sh: a private sshd on a loopback port, so the live test
# crates/cli/tests/audit_ssh.rs can audit the private test daemon through
# DOCKER_HOST=ssh://root@127.0.0.1:PORT the way the Docker CLI would (ssh runs
# `docker system dial-stdio` there).
#
# Everything lives in a temporary directory removed on exit: its own host key, client key,
# sshd_config, authorized_keys and known_hosts. The authorized key sets DOCKER_HOST for the
# session (PermitUserEnvironment), so the remote `docker` reaches the private daemon, never a
# daemon on the default socket. The system's sshd and ~/.ssh are not touched.
#
# Exports RAMPART_TEST_SSH_HOST (ssh://root@127.0.0.1:PORT) and RAMPART_TEST_SSH_OPTS (the
# client options: identity, known hosts), or nothing when it cannot run here.

setup_private_sshd() {
  if [ "$(id -u)" != 0 ] || [ -z "${RAMPART_TEST_DOCKER_HOST:-}" ]; then
    echo "setup.d/30-sshd: needs root and the private test daemon; the ssh audit test is not prepared" >&2
    return 0
  fi
  # Also for the other engine tests: openssl (audit_faults.rs makes certificates and a TLS
  # server with it) and systemd (audit_swarm.rs starts a daemon with systemd-socket-activate).
  apt_install openssh-server openssh-client openssl systemd || return 1
  local dir port sshd
  dir=$(mktemp -d /tmp/rampart-sshd.XXXXXX)
  chmod 700 "$dir"
  # shellcheck disable=SC2064
  on_exit "stop_private_sshd '$dir'"
  ssh-keygen -q -t ed25519 -N '' -C rampart-test-host -f "$dir/host_key"
  ssh-keygen -q -t ed25519 -N '' -C rampart-test-client -f "$dir/client_key"
  printf 'environment="DOCKER_HOST=%s" %s\n' "$RAMPART_TEST_DOCKER_HOST" "$(cat "$dir/client_key.pub")" >"$dir/authorized_keys"
  chmod 600 "$dir/authorized_keys"
  # sshd refuses to start without its privilege separation directory.
  [ -d /run/sshd ] || mkdir -p -m 755 /run/sshd
  sshd=$(command -v sshd || echo /usr/sbin/sshd)
  for _ in 1 2 3 4 5; do
    port=$(( 20000 + RANDOM % 40000 ))
    cat >"$dir/sshd_config" <<EOF
Port $port
ListenAddress 127.0.0.1
HostKey $dir/host_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitUserEnvironment DOCKER_HOST
EOF
    "$sshd" -f "$dir/sshd_config" -E "$dir/sshd.log" || continue
    for _ in $(seq 1 50); do [ -s "$dir/sshd.pid" ] && break; sleep 0.1; done
    [ -s "$dir/sshd.pid" ] || continue
    printf '[127.0.0.1]:%s %s\n' "$port" "$(cat "$dir/host_key.pub")" >"$dir/known_hosts"
    export RAMPART_TEST_SSH_HOST="ssh://root@127.0.0.1:$port"
    export RAMPART_TEST_SSH_OPTS="-i $dir/client_key -o IdentitiesOnly=yes -o UserKnownHostsFile=$dir/known_hosts -o StrictHostKeyChecking=yes"
    if ssh $RAMPART_TEST_SSH_OPTS -o BatchMode=yes -p "$port" root@127.0.0.1 docker version >/dev/null 2>"$dir/check.log"; then
      return 0
    fi
    echo "setup.d/30-sshd: docker over ssh does not work:" >&2
    cat "$dir/check.log" "$dir/sshd.log" >&2
    unset RAMPART_TEST_SSH_HOST RAMPART_TEST_SSH_OPTS
    return 1
  done
  echo "setup.d/30-sshd: sshd did not start. Its log:" >&2
  cat "$dir/sshd.log" >&2
  return 1
}

stop_private_sshd() {
  local dir=$1
  [ -f "$dir/sshd.pid" ] && kill "$(cat "$dir/sshd.pid")" 2>/dev/null
  rm -rf "$dir"
}

setup_private_sshd || echo "setup.d/30-sshd: the ssh audit test is not prepared" >&2
