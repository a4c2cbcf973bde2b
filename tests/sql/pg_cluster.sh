#!/bin/sh
# ctest fixture: a throwaway PostgreSQL 15 cluster for the SQL tests.
#   pg_cluster.sh start STATE   initdb into a new mktemp -d directory under
#                               /tmp, start it on a Unix socket there (no TCP),
#                               write the directory to STATE
#   pg_cluster.sh stop STATE    stop that cluster and remove its directory
# It never touches another cluster. The server binaries are not on PATH on a
# fresh Debian machine: pg_config --bindir, else /usr/lib/postgresql/15/bin.
# As root (CI), initdb and the server run as the postgres user, which cannot
# enter a root-owned checkout: hence /tmp. Skipped (77) without PostgreSQL,
# except under CI=true.
set -eu
action=$1
state=$2

bindir=""
if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
  bindir=$(pg_config --bindir)
elif [ -x /usr/lib/postgresql/15/bin/initdb ]; then
  bindir=/usr/lib/postgresql/15/bin
fi

as_server() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case $action in
start)
  if [ -z "$bindir" ]; then
    echo "PostgreSQL's server is not installed (apt-get install -y postgresql)"
    [ "${CI:-}" = true ] && exit 1
    exit 77
  fi
  if [ -f "$state" ]; then "$0" stop "$state" || true; fi
  dir=$(mktemp -d /tmp/cltv-pg.XXXXXX)
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
  as_server "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log"; rm -rf "$dir"; exit 1; }
  if ! as_server "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses='' -k $dir -p 5432" start >/dev/null; then
    cat "$dir/server.log"
    rm -rf "$dir"
    exit 1
  fi
  echo "$dir" >"$state"
  echo "$("$bindir/postgres" --version) on socket $dir"
  ;;
stop)
  [ -f "$state" ] || exit 0
  dir=$(cat "$state")
  if [ -n "$dir" ] && [ -d "$dir/data" ]; then
    as_server "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
  fi
  case $dir in /tmp/cltv-pg.*) rm -rf "$dir" ;; esac
  rm -f "$state"
  ;;
*)
  echo "usage: pg_cluster.sh start|stop STATE" >&2
  exit 2
  ;;
esac
