#!/usr/bin/env bash
# SQLite next to PostgreSQL: starts a throwaway PostgreSQL cluster with the server's default durability
# (fsync on, synchronous commit), runs the benchmark, removes the cluster. Usage: bench/postgres/run.sh [ROUNDS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=scripts/postgres-cluster.sh
source "$root/scripts/postgres-cluster.sh"
trap pg_cluster_stop EXIT
pg_cluster_start -c shared_buffers=256MB -c max_wal_size=2GB
dotnet run -c Release --project "$root/bench/postgres/Plumbline.Bench.Postgres.csproj" -- "${1:-3}"
