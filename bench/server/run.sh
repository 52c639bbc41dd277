#!/usr/bin/env bash
# The team server under load: `plumb serve` on SQLite and on PostgreSQL (a throwaway cluster with the
# server's default durability), each loaded in the same run by concurrent clients on loopback (two edit
# batches of 4 keystrokes per replay, each client its own document). Reports requests/s, p50/p99 latency
# and errors, and PostgreSQL's figures as ratios of SQLite's. Writes bench/server/results.md.
# SQLite runs twice per round, in alternating order: with group commit (the default) and with every writer
# committing alone (PLUMBLINE_SQLITE_MAX_GROUP=1, the behaviour before group commit), as the baseline.
# Usage: bench/server/run.sh [CLIENTS] [REQUESTS_PER_CLIENT] [ROUNDS]     (default 8 × 120, 1 round)
# BENCH_SQLITE_ONLY=1 skips PostgreSQL; PLUMBLINE_WRITE_PROFILE=1 prints the server's write-phase timings.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
clients="${1:-8}"
requests="${2:-120}"
rounds="${3:-1}"
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

runs=0
run_backend() {
  local label="$1" store="$2" max_group="${3:-}" token url
  runs=$((runs + 1))
  local who="bench-$runs"   # the PostgreSQL database is shared by the rounds
  plumb contributor add "$who" --store "$store" >/dev/null
  plumb consent set "$who" --sources documents --uses research --store "$store" >/dev/null
  token="$(plumb token create --role contributor --contributor "$who" --store "$store" --json | grep -o '"token":"[^"]*"' | cut -d'"' -f4)"
  # dotnet itself in the background (not the shell function), so that SIGTERM reaches the server
  PLUMBLINE_SQLITE_MAX_GROUP="$max_group" dotnet "$root/src/Plumbline.Cli/bin/Release/net10.0/plumb.dll" serve --store "$store" --urls http://127.0.0.1:0 >"$work/serve-$label.out" 2>"$work/serve-$label.err" &
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

[ "${BENCH_SQLITE_ONLY:-0}" = 1 ] || pg_cluster_start >/dev/null
loads=""
for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) = 1 ]; then
    run_backend sqlite-commit-each "$work/each-$round.db" 1
    run_backend sqlite-group "$work/group-$round.db"
  else
    run_backend sqlite-group "$work/group-$round.db"
    run_backend sqlite-commit-each "$work/each-$round.db" 1
  fi
  if [ "${BENCH_SQLITE_ONLY:-0}" != 1 ]; then
    run_backend postgres "$PLUMBLINE_TEST_POSTGRES"
  fi
  loads="$loads $(cut -d' ' -f1 /proc/loadavg)"
done

# median of column $2 (awk field numbers of a table row) over the rows labelled $1
median() {
  awk -F'|' -v label=" $1 " -v col="$2" '$2 == label { print $col + 0 }' "$work/rows.md" | sort -g \
    | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
summary() {
  local label="$1"
  printf '| %s | %s | %s | %s | %s |\n' "$label" "$(median "$label" 6)" "$(median "$label" 7)" "$(median "$label" 8)" \
    "$(awk -F'|' -v label=" $label " '$2 == label { e += $11 } END { print e + 0 }' "$work/rows.md")"
}

{
  echo "# Team server under load"
  echo
  echo "\`bench/server/run.sh $clients $requests $rounds\` on $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ): \`plumb serve\` (Release) on each backend,"
  echo "$clients concurrent clients on loopback, $requests requests each (two edit batches of 4 keystrokes per replay of the"
  echo "client's whole document), after a 12-request warm-up. Latencies in ms; every batch goes through the full"
  echo "ingest pipeline (token check, consent gate, redaction, one durable transaction). SQLite with group commit"
  echo "(\`sqlite-group\`, the default) and with every writer committing alone (\`sqlite-commit-each\`,"
  echo "PLUMBLINE_SQLITE_MAX_GROUP=1: the behaviour before group commit), alternating, $rounds round(s);"
  echo "load average (1 min) after each round:$loads."
  echo
  echo "| backend | clients | requests | seconds | requests/s | p50 | p99 | batches p50 / p99 | replays p50 / p99 | errors |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  cat "$work/rows.md"
  echo
  echo "Medians over the rounds:"
  echo
  echo "| backend | requests/s | p50 | p99 | errors (sum) |"
  echo "|---|---|---|---|---|"
  summary sqlite-commit-each
  summary sqlite-group
  [ "${BENCH_SQLITE_ONLY:-0}" = 1 ] || summary postgres
  echo
  awk -v a="$(median sqlite-commit-each 6)" -v b="$(median sqlite-group 6)" -v a50="$(median sqlite-commit-each 7)" -v b50="$(median sqlite-group 7)" \
    -v a99="$(median sqlite-commit-each 8)" -v b99="$(median sqlite-group 8)" \
    'BEGIN { printf "Group commit vs each writer committing alone (medians): %.2f× the requests/s, %.2f× the p50, %.2f× the p99.\n", b / a, b50 / a50, b99 / a99 }'
  if [ "${BENCH_SQLITE_ONLY:-0}" != 1 ]; then
    awk -v s="$(median sqlite-group 6)" -v p="$(median postgres 6)" -v s50="$(median sqlite-group 7)" -v p50="$(median postgres 7)" \
      -v s99="$(median sqlite-group 8)" -v p99="$(median postgres 8)" \
      'BEGIN { printf "PostgreSQL vs SQLite (group commit), medians: %.2f× the requests/s, %.2f× the p50, %.2f× the p99.\n", p / s, p50 / s50, p99 / s99 }'
  fi
} >"$work/results.md"
if [ "${BENCH_SQLITE_ONLY:-0}" = 1 ]; then cat "$work/results.md"; else cp "$work/results.md" "$root/bench/server/results.md"; cat "$root/bench/server/results.md"; fi
