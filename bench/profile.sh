#!/usr/bin/env bash
# Where a plumb process spends its CPU, by shared object (JIT, runtime/GC, kernel, JIT'd code, Brotli, SQLite):
# perf over `plumb --version`, `plumb replay automerge-paper` and `plumb import trace seph-blog1`.
# Needs perf and the Release build (bench/run.sh makes it). Not part of run.sh: perf is not everywhere.
#   bench/profile.sh [PATH_TO_PLUMB]
set -euo pipefail
cd "$(dirname "$0")/.."
plumb=${1:-src/Plumbline.Cli/bin/Release/net10.0/plumb}
plumb=$(realpath "$plumb")
traces=$(realpath ../shared/realdata/editing-traces)
command -v perf >/dev/null || { echo "perf is not installed" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

"$plumb" --store s.db contributor add alice >/dev/null
"$plumb" --store s.db consent set alice --sources documents --uses all >/dev/null
"$plumb" --store s.db import trace "$traces/automerge-paper.json.gz" --as alice >/dev/null

profile() {
  local label=$1; shift
  DOTNET_PerfMapEnabled=1 perf record -q -F 4000 -g -o perf.data "$@" >/dev/null 2>perf.err || { cat perf.err >&2; return 1; }
  echo "### $label ($(perf report -i perf.data --stdio 2>/dev/null | grep -m1 '^# Samples' | sed 's/^# //' || true))"
  echo
  perf report -i perf.data --no-children --sort dso --stdio -g none 2>/dev/null | grep -E '^ +[0-9]' | head -10 \
    | sed -E 's/memfd:doublemapper \(deleted\)/JIT-compiled managed code/'
  echo
}

profile "plumb --version" "$plumb" --version
profile "plumb replay automerge-paper" "$plumb" --store s.db replay automerge-paper
rm -f t.db*
"$plumb" --store t.db contributor add alice >/dev/null
"$plumb" --store t.db consent set alice --sources documents --uses all >/dev/null
profile "plumb import trace seph-blog1" "$plumb" --store t.db import trace "$traces/seph-blog1.json.gz" --as alice --json
