#!/usr/bin/env bash
# PostgreSQL from Debian's packages, on 127.0.0.1 only, with the role the services use.
# Usage: scripts/postgres.sh start|stop|status|password.  Idempotent.
# The role's password is TOTHON_PG_PASSWORD when set, else a random one kept in
# .infra/postgres/password (made on first start); `password` prints it, for
# `export TOTHON_PG_PASSWORD="$(scripts/postgres.sh password)"`. No password is built in: the
# services refuse to run distributed with one that is published.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
port="${TOTHON_PG_PORT:-5432}"
user="${TOTHON_PG_USER:-tothon}"
password_file="$root/.infra/postgres/password"

say() { printf 'postgres: %s\n' "$*"; }
die() { printf 'postgres: ERROR: %s\n' "$*" >&2; exit 1; }
as_root() { if [[ $(id -u) == 0 ]]; then "$@"; else sudo "$@"; fi; }

install() {
  command -v pg_ctlcluster >/dev/null && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 && return
  say "installing Debian's postgresql package"
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null \
    || die "apt-get could not install postgresql"
}

cluster() {  # prints "<version> <name>" of the first cluster, creating one if there is none
  local line; line="$(pg_lsclusters -h 2>/dev/null | head -n 1)"
  if [[ -z $line ]]; then
    local v; v="$(ls /usr/lib/postgresql | sort -n | tail -n 1)"
    as_root pg_createcluster "$v" main --port "$port" >/dev/null || die "pg_createcluster failed"
    line="$(pg_lsclusters -h | head -n 1)"
  fi
  awk '{print $1, $2}' <<<"$line"
}

ready() { pg_isready -q -h 127.0.0.1 -p "$port"; }

password() {
  if [[ -n ${TOTHON_PG_PASSWORD:-} ]]; then printf '%s' "$TOTHON_PG_PASSWORD"; return; fi
  if [[ ! -s $password_file ]]; then
    mkdir -p "$(dirname "$password_file")"
    (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=\n' >"$password_file")
  fi
  cat "$password_file"
}

start() {
  install
  read -r version name < <(cluster)
  if ! ready; then
    say "starting cluster $version/$name on 127.0.0.1:$port"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" "$name" start \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c max_connections=200" \
      || die "pg_ctlcluster could not start $version/$name (see /var/log/postgresql/)"
  fi
  for _ in $(seq 1 60); do ready && break; sleep 0.5; done
  ready || die "PostgreSQL is not accepting connections on 127.0.0.1:$port"
  # The role the services log in with; it creates one database per service.
  # From / : the postgres user may not be able to enter the current folder.
  # The password is set on every start, so the role always matches the password file.
  local secret; secret="$(password)"
  (cd / && as_root runuser -u postgres -- psql -q -p "$port" -v ON_ERROR_STOP=1 -c "DO \$\$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$user') THEN
        CREATE ROLE $user LOGIN CREATEDB;
      END IF; END \$\$;" -c "ALTER ROLE $user PASSWORD '$secret';" >/dev/null) || die "could not set up the role $user"
  say "ready on 127.0.0.1:$port (role $user)"
}

stop() {
  read -r version name < <(cluster)
  if ready; then as_root pg_ctlcluster --skip-systemctl-redirect "$version" "$name" stop; say "stopped"
  else say "not running"; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  password) password; echo ;;
  status) if ready; then say "running on 127.0.0.1:$port"; else say "not running"; exit 3; fi ;;
  *) echo "usage: $0 start|stop|status|password" >&2; exit 2 ;;
esac
