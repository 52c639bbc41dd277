#!/usr/bin/env bash
# The team server under load: `plumb serve` on SQLite and on PostgreSQL (a throwaway cluster with the
# server's default durability), each loaded in the same run by concurrent clients on loopback (two edit
# batches of 4 keystrokes per replay, each client its own document). Reports requests/s, p50/p99 latency
# and errors, and PostgreSQL's figures as ratios of SQLite's. Writes bench/server/results.md.
# Usage: bench/server/run.sh [CLIENTS] [REQUESTS_PER_CLIENT]     (default 8 × 120)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
clients="${1:-8}"
requests="${2:-120}"
# shellcheck source=scripts/postgres-cluster.sh
source "$root/scripts/postgres-cluster.sh"
work="$(mktemp -d /tmp/plumbline-bench-server.XXXXXX)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  pg_cluster_stop
  rm -rf "$work"
}
trap cleanup EXIT

echo "building plumb and the load client (Release)…" >&2
dotnet build "$root/src/Plumbline.Cli/Plumbline.Cli.csproj" -c Release --nologo -v quiet -clp:ErrorsOnly >&2
dotnet build "$root/bench/Plumbline.Bench.Server/Plumbline.Bench.Server.csproj" -c Release --nologo -v quiet -clp:ErrorsOnly >&2
plumb() { dotnet "$root/src/Plumbline.Cli/bin/Release/net10.0/plumb.dll" "$@"; }

run_backend() {
  local label="$1" store="$2" token url
  plumb contributor add bench --store "$store" >/dev/null
  plumb consent set bench --sources documents --uses research --store "$store" >/dev/null
  token="$(plumb token create --role contributor --contributor bench --store "$store" --json | grep -o '"token":"[^"]*"' | cut -d'"' -f4)"
  # dotnet itself in the background (not the shell function), so that SIGTERM reaches the server
  dotnet "$root/src/Plumbline.Cli/bin/Release/net10.0/plumb.dll" serve --store "$store" --urls http://127.0.0.1:0 >"$work/serve-$label.out" 2>"$work/serve-$label.err" &
  server_pid=$!
  for _ in $(seq 1 120); do
    url="$(grep -o 'Listening on http://[0-9.:]*' "$work/serve-$label.out" | cut -d' ' -f3 || true)"
    [ -n "$url" ] && break
    sleep 0.5
  done
  [ -n "$url" ] || { echo "plumb serve did not start:" >&2; cat "$work/serve-$label.err" >&2; exit 1; }
  dotnet "$root/bench/Plumbline.Bench.Server/bin/Release/net10.0/Plumbline.Bench.Server.dll" --server "$url" --token "$token" --clients "$clients" --requests "$requests" --label "$label" >>"$work/rows.md"
  kill -TERM "$server_pid"
  local code=0
  wait "$server_pid" || code=$?
  server_pid=""
  [ "$code" -eq 0 ] || echo "plumb serve ($label) exited $code after SIGTERM: $(tail -3 "$work/serve-$label.err")" >&2
  # PLUMBLINE_WRITE_PROFILE=1: the server's timing spans per write phase (see WriteProfile)
  grep '^write profile' "$work/serve-$label.err" | sed "s/^write profile/[$label] write profile/" >&2 || true
}

run_backend sqlite "$work/bench.db"
if [ "${BENCH_SQLITE_ONLY:-0}" = 1 ]; then cat "$work/rows.md"; exit 0; fi
pg_cluster_start >/dev/null
run_backend postgres "$PLUMBLINE_TEST_POSTGRES"

{
  echo "# Team server under load"
  echo
  echo "\`bench/server/run.sh $clients $requests\` on $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ): \`plumb serve\` (Release) on each backend,"
  echo "$clients concurrent clients on loopback, $requests requests each (two edit batches of 4 keystrokes per replay of the"
  echo "client's whole document), after a 12-request warm-up. Latencies in ms; every batch goes through the full"
  echo "ingest pipeline (token check, consent gate, redaction, one durable transaction)."
  echo
  echo "| backend | clients | requests | seconds | requests/s | p50 | p99 | batches p50 / p99 | replays p50 / p99 | errors |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  cat "$work/rows.md"
  echo
  awk -F'|' 'NR==1 { s=$6; s50=$7; s99=$8 } NR==2 { printf "PostgreSQL vs SQLite in this run: %.2f× the requests/s, %.2f× the p50, %.2f× the p99.\n", $6/s, $7/s50, $8/s99 }' "$work/rows.md"
} >"$root/bench/server/results.md"
cat "$root/bench/server/results.md"
