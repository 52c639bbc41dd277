#!/usr/bin/env bash
# Runs every test of the solution (Release), then prints one closing line: "tests: N passed, N failed, N skipped".
# Services the tests need are installed and started here, idempotently:
#   PostgreSQL — Debian's postgresql is installed when initdb is missing; a throwaway cluster on a free
#   loopback port is started for the run (PLUMBLINE_TEST_POSTGRES) and removed afterwards, also on failure.
#   Chromium — Debian's chromium is installed when /usr/bin/chromium is missing (the web UI's browser tests
#   drive it through Playwright; Playwright's own browser downloads are never used).
#   Node.js/npm — the build bundles the web UI with npm ci + esbuild; they must be on PATH.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=scripts/postgres-cluster.sh
source "$root/scripts/postgres-cluster.sh"

if [ ! -d "$root/../shared/realdata" ]; then
  echo "note: ../shared/realdata is absent; tests that need the public data report SKIPPED in their output" >&2
fi

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "chromium: installing Debian's chromium for the web UI tests" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || echo "chromium: apt-get update failed" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >&2 ||
      echo "chromium: apt-get install chromium failed; the web UI tests will fail" >&2
  else
    echo "chromium: /usr/bin/chromium is missing and installing needs root (apt-get install -y chromium); the web UI tests will fail" >&2
  fi
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "error: npm is missing: the build bundles the web UI with it (install Node.js 20+)" >&2
fi

log="$(mktemp)"
trap 'pg_cluster_stop; rm -f "$log"' EXIT
trap 'exit 130' INT TERM

# The PostgreSQL cases fail rather than skip when this run has no cluster.
export PLUMBLINE_REQUIRE_POSTGRES=1
# A throwaway cluster need not survive a crash: no fsync makes the per-test databases cheap.
if ! pg_cluster_start -c fsync=off -c synchronous_commit=off -c full_page_writes=off; then
  echo "error: could not start a PostgreSQL cluster; the PostgreSQL cases will fail" >&2
fi

dotnet test Plumbline.slnx -c Release --nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# "Passed!  - Failed:     0, Passed:   124, Skipped:     0, Total:   124" — one line per test project
read -r passed failed skipped < <(grep -E '(Passed|Failed)!  - Failed:' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \1 \3/' |
  awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
