#!/usr/bin/env bash
# Prints one JSON object per run: the host figures (wall seconds, events per second, peak heap) of
# the shipped scenarios and of a 32 x 32 GEMV, each in a fresh JVM. Usage: bench/figures.sh [THREADS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
threads="${1:-0}"
out="$(mktemp -d)"
run() { # name, then meshemu run arguments
  local name=$1; shift
  ./meshemu run "$@" --threads "$threads" --out "$out/$name" >/dev/null
  python3 - "$out/$name/report.json" "$name" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(json.dumps({"run": sys.argv[2], "payload": r["payload"], "threads": r["threads"],
                  "simulatedTimePs": r["simulatedTimePs"], "events": r["events"], "windows": r["windows"],
                  "wallSeconds": round(r["wallSeconds"], 3), "eventsPerSecond": round(r["eventsPerSecond"]),
                  "peakHeapMiB": round(r["peakHeapBytes"] / 2**20)}))
PY
}
gemv32=(scenarios/gemv-tree-16x16.yaml --set hardware.noc.width=32 --set hardware.noc.height=32 --set workload.rows=4096 --set workload.cols=4096)
run default
run gemm-cannon-8x8 scenarios/gemm-cannon-8x8.yaml
run gemv-tree-16x16 scenarios/gemv-tree-16x16.yaml
run gemv-32x32 "${gemv32[@]}"
run gemv-32x32-timing "${gemv32[@]}" --set run.payload=timing
run gemm-cannon-32x32-timing scenarios/gemm-cannon-8x8.yaml --set hardware.noc.width=32 --set hardware.noc.height=32 --set workload.m=2048 --set workload.n=2048 --set workload.k=2048 --set run.payload=timing
rm -rf "$out"
