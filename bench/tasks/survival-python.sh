#!/bin/bash
# How many planted Python mutants per kind survive a real test filter: plants every defect the python-ast engine finds
# in the standard library's textwrap.py and colorsys.py and keeps those their own CPython tests (test_textwrap.py,
# test_colorsys.py, run with `python3 -m unittest`) catch. The module and test sources come from a CPython tree with
# its test suite (default: the pyenv 3.13.0 here; Debian's python3 ships no test_*.py); they run under /usr/bin/python3.
# Mutants that loop forever (an inverted `while`) end at --test-timeout 10 s and count as caught (a run takes ~0.4 s).
# Usage: bench/tasks/survival-python.sh [SEED] [CPYTHON_LIB]  (from the repo root, after `dotnet build src/Plumbline.Cli -c Release`)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
lib=${2:-/root/.pyenv/versions/3.13.0/lib/python3.13}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$lib/textwrap.py" "$lib/colorsys.py" "$lib/test/test_textwrap.py" "$lib/test/test_colorsys.py" "$work/"
dotnet "$root/src/Plumbline.Cli/bin/Release/net10.0/plumb.dll" tasks bugs make --source "$work" --include textwrap.py --include colorsys.py \
  --n 1000 --seed "${1:-1}" --python /usr/bin/python3 --test-command "/usr/bin/python3 -m unittest -q test_textwrap test_colorsys" \
  --test-timeout 10 --out "$work/tasks.jsonl" --json
