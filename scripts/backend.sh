#!/usr/bin/env bash
# A shared Pulumi state backend in a local PostgreSQL (Debian's package, installed when missing):
# loopback only, a dedicated role and database, a generated password kept in a pgpass file
# (mode 0600) outside the repository. The backend URL carries no password; see docs/team.md.
# Usage: scripts/backend.sh {start|stop|status|url|env|psql [psql args]}
set -euo pipefail

CACHE=${CDN_INGRESS_CACHE:-$HOME/.cache/cdn-ingress}
CONF=$CACHE/postgres
PASSFILE=$CONF/pgpass
PORT=${CDN_INGRESS_PG_PORT:-15432}
NAME=cdn_ingress # both the role and its database
URL="postgres://$NAME@127.0.0.1:$PORT/$NAME?sslmode=disable"

# PostgreSQL refuses to run as root: root runs it as the package's `postgres` user, in that user's
# home (root's own home is not reachable by it). Anyone else runs it as themselves under $CONF.
if [ "$(id -u)" = 0 ]; then
  SERVER_USER=postgres
  SERVER_HOME=${CDN_INGRESS_PG_HOME:-/var/lib/postgresql/cdn-ingress}
else
  SERVER_USER=$(id -un)
  SERVER_HOME=${CDN_INGRESS_PG_HOME:-$CONF/server}
fi
DATA=$SERVER_HOME/data
SOCKETS=$SERVER_HOME/run

log() { printf '[backend] %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

as_server() {
  if [ "$(id -u)" = 0 ]; then runuser -u "$SERVER_USER" -- "$@"; else "$@"; fi
}

pg_bindir() {
  local dir
  dir=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$dir" ] && command -v pg_ctl >/dev/null; then dir=$(dirname "$(readlink -f "$(command -v pg_ctl)")"); fi
  echo "$dir"
}

install_postgres() {
  [ -n "$(pg_bindir)" ] && return
  [ "$(id -u)" = 0 ] || die "PostgreSQL is not installed; install Debian's 'postgresql' package (as root: apt-get install postgresql)"
  log "installing PostgreSQL from Debian's packages"
  apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql >&2
  [ -n "$(pg_bindir)" ] || die "apt-get installed 'postgresql' but no pg_ctl was found under /usr/lib/postgresql"
}

running() { [ -f "$DATA/PG_VERSION" ] && as_server "$BIN/pg_ctl" status -D "$DATA" >/dev/null 2>&1; }

init_cluster() {
  [ -f "$DATA/PG_VERSION" ] && return
  log "creating a database cluster in $DATA"
  install -d -m 0700 -o "$SERVER_USER" "$SERVER_HOME" "$SOCKETS"
  as_server "$BIN/initdb" -D "$DATA" -E UTF8 --locale=C.UTF-8 --auth-local=peer --auth-host=scram-sha-256 >/dev/null
  # Loopback TCP for the dedicated role only; the admin (the server's OS user) on the private socket.
  as_server tee "$DATA/pg_hba.conf" >/dev/null <<EOF
local all $SERVER_USER peer
host $NAME $NAME 127.0.0.1/32 scram-sha-256
EOF
  as_server tee -a "$DATA/postgresql.conf" >/dev/null <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$SOCKETS'
password_encryption = 'scram-sha-256'
EOF
}

admin_sql() { as_server "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCKETS" -p "$PORT" -d postgres; }

new_password() {
  # Hex only: no character that pgpass or a URL would need to escape.
  (umask 077 && mkdir -p "$CONF" && printf '127.0.0.1:*:%s:%s:%s\n' "$NAME" "$NAME" \
    "$(openssl rand -hex 24)" >"$PASSFILE.new" && mv "$PASSFILE.new" "$PASSFILE")
}

ensure_role() {
  [ -s "$PASSFILE" ] || new_password
  chmod 0600 "$PASSFILE"
  # The password goes on psql's stdin, never on a command line; the session does not log
  # statements that fail, so not even an error would write it to the server log.
  { echo "SET log_min_error_statement = panic;"
    echo "SELECT format('CREATE ROLE %I LOGIN', '$NAME') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$NAME')\\gexec"
    printf "ALTER ROLE %s NOSUPERUSER NOCREATEDB NOCREATEROLE LOGIN PASSWORD '%s';\n" "$NAME" "$(cut -d: -f5 "$PASSFILE")"
    echo "SELECT format('CREATE DATABASE %I OWNER %I', '$NAME', '$NAME') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$NAME')\\gexec"
    echo "REVOKE ALL ON DATABASE $NAME FROM PUBLIC;"
  } | admin_sql
}

start() {
  install_postgres
  BIN=$(pg_bindir)
  init_cluster
  if ! running; then
    # fd 9 is this script's lock: the server must not inherit (and hold) it.
    as_server "$BIN/pg_ctl" start -D "$DATA" -l "$SERVER_HOME/server.log" -o "-p $PORT" -w -t 60 >/dev/null 9>&- \
      || die "PostgreSQL did not start; see $SERVER_HOME/server.log"
  fi
  ensure_role
  PGPASSFILE=$PASSFILE "$BIN/psql" -X -q -tA "$URL" -c 'SELECT 1' >/dev/null \
    || die "PostgreSQL runs but role $NAME cannot log in on 127.0.0.1:$PORT"
  log "PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT, database $NAME (password in $PASSFILE)"
}

stop() {
  BIN=$(pg_bindir)
  if [ -n "$BIN" ] && running; then as_server "$BIN/pg_ctl" stop -D "$DATA" -m fast -w >/dev/null; log "stopped"
  else log "not running"; fi
}

locked() { install -d -m 0700 "$CONF" && exec 9>"$CONF/lock" && flock 9; }

case "${1:-}" in
  start) locked; start ;;
  stop) locked; stop ;;
  status) BIN=$(pg_bindir); if [ -n "$BIN" ] && running; then echo "running: $URL"; else echo "stopped"; exit 3; fi ;;
  url) echo "$URL" ;;
  env) printf "export PULUMI_BACKEND_URL='%s' PGPASSFILE='%s'\n" "$URL" "$PASSFILE" ;;
  psql) BIN=$(pg_bindir); PGPASSFILE=$PASSFILE exec "$BIN/psql" -X "$URL" "${@:2}" ;;
  *) echo "usage: $0 {start|stop|status|url|env|psql [psql args]}" >&2; exit 2 ;;
esac
