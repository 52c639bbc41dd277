#!/usr/bin/env bash
# Dawid–Skene and Krippendorff's alpha on 1M simulated labels (100k tasks, 1k raters), next to NumPy
# implementations of the same algorithms run in the same loop; writes bench/results/curation.md.
#   bench/curation.sh                       the full size (about 2–4 minutes on 2 cores)
#   bench/curation.sh --tasks 10000 --repeat 1   a quick check
# Needs /usr/bin/python3 with NumPy (Debian: apt-get install -y python3-numpy).
set -euo pipefail
cd "$(dirname "$0")/.."
/usr/bin/python3 -c "import numpy" 2>/dev/null || { echo "NumPy is missing: apt-get install -y python3-numpy" >&2; exit 2; }
dotnet build -c Release bench/Plumbline.Bench.Curation -nologo -v q
PLUMBLINE_BENCH_COMMAND="bench/curation.sh $*" \
  dotnet bench/Plumbline.Bench.Curation/bin/Release/net10.0/Plumbline.Bench.Curation.dll all --out bench/results/curation.md "$@"
