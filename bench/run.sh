#!/usr/bin/env bash
# Builds plumb (Release) and the benchmark, runs every suite and writes bench/results/latest.md.
#   bench/run.sh                 all suites (about 6–8 minutes on 2 cores)
#   bench/run.sh replay --quick  one suite, few repetitions (report goes to bench/results/latest-replay.md)
# A ReadyToRun publish of the same sources is made under bench/.artifacts for the start-up comparison rows;
# if it cannot be built here, those rows are left out.
set -euo pipefail
cd "$(dirname "$0")/.."

dotnet build -c Release src/Plumbline.Cli -nologo -v q
r2r=()
if dotnet publish src/Plumbline.Cli -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
    --artifacts-path bench/.artifacts -o bench/.artifacts/plumb-r2r -nologo -v q; then
  r2r=(--plumb-r2r bench/.artifacts/plumb-r2r/plumb)
else
  echo "warning: the ReadyToRun publish failed; its comparison rows are left out" >&2
fi
dotnet build -c Release bench/Plumbline.Bench -nologo -v q

args=("$@")
if [ ${#args[@]} -eq 0 ]; then
  args=(all)
fi
PLUMBLINE_BENCH_COMMAND="bench/run.sh ${args[*]}" \
  dotnet run -c Release --no-build --project bench/Plumbline.Bench -- "${args[@]}" "${r2r[@]}"
