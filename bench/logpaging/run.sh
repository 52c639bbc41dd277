#!/usr/bin/env bash
# The cost of paging the event log on PostgreSQL: the seq keyset (before) next to the snapshot cursor (after),
# in one run on one store. Starts a throwaway cluster and removes it. Usage: bench/logpaging/run.sh [ROUNDS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=scripts/postgres-cluster.sh
source "$root/scripts/postgres-cluster.sh"
trap pg_cluster_stop EXIT
pg_cluster_start
dotnet run -c Release --project "$root/bench/logpaging/Plumbline.Bench.LogPaging.csproj" -- "${1:-5}"
