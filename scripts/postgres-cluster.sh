#!/usr/bin/env bash
# Sourced by scripts/test.sh and bench/postgres/run.sh: a throwaway PostgreSQL cluster on a free loopback port.
#   pg_cluster_start [-c name=value ...]   installs PostgreSQL if missing (Debian's postgresql, as root),
#                                          starts a fresh cluster and exports PLUMBLINE_TEST_POSTGRES
#   pg_cluster_stop                        stops it and removes its folder (safe to call twice)
# initdb refuses to run as root, so as root the cluster belongs to the `postgres` user, in a folder it owns.

pg_cluster_dir=""
pg_cluster_bin=""

pg_cluster_find_bin() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

pg_cluster_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_cluster_free_port() {
  local port
  for port in $(shuf -i 20000-60000 -n 50); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

pg_cluster_start() {
  if ! pg_cluster_bin="$(pg_cluster_find_bin)"; then
    if [ "$(id -u)" -ne 0 ]; then
      echo "postgres: initdb is missing and installing needs root: apt-get install -y postgresql" >&2
      return 1
    fi
    echo "postgres: installing Debian's postgresql" >&2
    # The package's own default cluster (if its postinst manages to start one) is left alone: ours has its own port.
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || echo "postgres: apt-get update failed" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >&2 ||
      echo "postgres: apt-get install postgresql reported a failure; looking for initdb anyway" >&2
    pg_cluster_bin="$(pg_cluster_find_bin)" || { echo "postgres: initdb not found after installing postgresql" >&2; return 1; }
  fi

  pg_cluster_dir="$(mktemp -d /tmp/plumbline-pg.XXXXXX)" || return 1
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$pg_cluster_dir"
  fi
  chmod 700 "$pg_cluster_dir"
  if ! pg_cluster_as_owner "$pg_cluster_bin/initdb" -D "$pg_cluster_dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
      >"$pg_cluster_dir/initdb.log" 2>&1; then
    echo "postgres: initdb failed:" >&2
    cat "$pg_cluster_dir/initdb.log" >&2
    return 1
  fi

  local port attempt
  for attempt in 1 2 3; do
    port="$(pg_cluster_free_port)" || return 1
    if pg_cluster_as_owner "$pg_cluster_bin/pg_ctl" -D "$pg_cluster_dir/data" -l "$pg_cluster_dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$pg_cluster_dir -c max_connections=300 $*" start >/dev/null; then
      export PLUMBLINE_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
      echo "postgres: throwaway cluster $("$pg_cluster_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port in $pg_cluster_dir" >&2
      return 0
    fi
  done
  echo "postgres: the server did not start:" >&2
  cat "$pg_cluster_dir/server.log" >&2
  return 1
}

pg_cluster_stop() {
  if [ -n "$pg_cluster_dir" ] && [ -d "$pg_cluster_dir" ]; then
    if [ -f "$pg_cluster_dir/data/postmaster.pid" ]; then
      pg_cluster_as_owner "$pg_cluster_bin/pg_ctl" -D "$pg_cluster_dir/data" -m immediate -w stop >/dev/null 2>&1
    fi
    rm -rf "$pg_cluster_dir"
  fi
  pg_cluster_dir=""
}
