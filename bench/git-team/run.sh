#!/usr/bin/env bash
# A git import through the team server against the local import of the same repository, in the same run.
#   bench/git-team/run.sh [REPO [REV]]   default: this project's own history at 52d3521 (211 commits)
# Needs a Release build of plumb (dotnet build src/Plumbline.Cli -c Release). Prints wall times and ratios.
set -euo pipefail
cd "$(dirname "$0")/../.."
plumb() { dotnet src/Plumbline.Cli/bin/Release/net10.0/plumb.dll "$@"; }
source_repo=${1:-.}
rev=${2:-52d3521}
tmp=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

git clone -q --no-local "$source_repo" "$tmp/plumbline"
git -C "$tmp/plumbline" checkout -q "$rev"
authors=()
while read -r email; do authors+=(--author "$email=alice"); done < <(git -C "$tmp/plumbline" log --format=%ae | sort -u)
commits=$(git -C "$tmp/plumbline" rev-list --count HEAD)

setup() {
  plumb contributor add alice --store "$1" --json >/dev/null
  plumb consent set alice --sources code --uses research --store "$1" --json >/dev/null
}
now() { date +%s.%N; }

setup "$tmp/local.db"
t0=$(now); plumb import git "$tmp/plumbline" --as alice "${authors[@]}" --store "$tmp/local.db" --json > "$tmp/local.json"; t1=$(now)

setup "$tmp/team.db"
token=$(plumb token create --role contributor --contributor alice --store "$tmp/team.db" --json | sed -E 's/.*"token":"([^"]+)".*/\1/')
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
plumb serve --store "$tmp/team.db" --urls "http://127.0.0.1:$port" > "$tmp/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.2; done
t2=$(now); plumb import git "$tmp/plumbline" "${authors[@]}" --server "http://127.0.0.1:$port" --token "$token" --json > "$tmp/team.json"; t3=$(now)
t4=$(now); plumb import git "$tmp/plumbline" "${authors[@]}" --server "http://127.0.0.1:$port" --token "$token" --json > "$tmp/again.json"; t5=$(now)
t6=$(now); plumb import git "$tmp/plumbline" --as alice "${authors[@]}" --store "$tmp/local.db" --json > "$tmp/local-again.json"; t7=$(now)

python3 - "$tmp" "$commits" "$t0" "$t1" "$t2" "$t3" "$t4" "$t5" "$t6" "$t7" <<'PY'
import json, sys
tmp, commits = sys.argv[1], int(sys.argv[2])
t = [float(x) for x in sys.argv[3:]]
local, team, again = (json.load(open(f"{tmp}/{n}.json")) for n in ("local", "team", "again"))
same = {k: local[k] for k in local} == {k: team[k] for k in team}
print(f"repository: {local['repository']} at the given revision, {commits} commits, {local['file_changes']} file changes, {local['events']} events")
print(f"the team import's --json equals the local one's: {same}")
print(f"local import (--store, baseline)   {t[1]-t[0]:7.2f} s")
print(f"team import (--server, 200/request){t[3]-t[2]:7.2f} s   ratio {(t[3]-t[2])/(t[1]-t[0]):.2f}x")
print(f"team re-run (nothing new)          {t[5]-t[4]:7.2f} s   commits sent {again['commits']}, already {again['already_imported']}")
print(f"local re-run (nothing new)         {t[7]-t[6]:7.2f} s")
PY
