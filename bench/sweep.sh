#!/usr/bin/env bash
# Times a 100-point sweep of small scenarios (8 x 8 Cannon GEMMs, 5 link widths x 2 SRAM sizes x 10
# sizes) on long-lived point worker JVMs, beside its baseline measured in the same run: the same
# points as one `meshemu run` JVM each (a sample of 10, sequential), scaled to 100 points and to the
# sweep's jobs. Prints one JSON object. Usage: bench/sweep.sh [--jobs N]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat > "$work/base.yaml" <<'YAML'
name: sweep-bench
seed: 7
hardware:
  core: {clockGHz: 1.0, sramKiB: 512, matrixFlopsPerCycle: {fp32: 512}, vectorLanes: 16, instructionOverheadCycles: 1}
  noc: {topology: mesh2d, width: 8, height: 8, routing: xy, link: {bytesPerCycle: 32, latencyCycles: 1}}
  dram: {banksPerCore: 2, latencyCycles: 20, bytesPerCycle: 32}
workload: {kind: gemm, algorithm: cannon, m: 64, n: 64, k: 64}
run: {payload: full}
YAML
cat > "$work/sweep.yaml" <<'YAML'
base: base.yaml
grid:
  hardware.noc.link.bytesPerCycle: [8, 16, 32, 64, 128]
  hardware.core.sramKiB: [256, 512]
  workload.m: [64, 128, 192, 256, 320, 384, 448, 512, 576, 640]
plots: [simulatedTimePs]
YAML
./meshemu validate "$work/base.yaml" >/dev/null # builds if needed, outside the timing
start=$(date +%s.%N)
./meshemu sweep "$work/sweep.yaml" --out "$work/out" "$@" > "$work/sweep.log" 2>&1
sweep_s=$(echo "$(date +%s.%N) - $start" | bc)
jobs=$(sed -n 's/.* over \([0-9]*\) worker JVM.*/\1/p' "$work/sweep.log")
completed=$(grep -c ',completed,' "$work/out/results.csv" || true)
start=$(date +%s.%N)
for m in 64 128 192 256 320 384 448 512 576 640; do
  ./meshemu run "$work/base.yaml" --out "$work/single-$m" --set workload.m=$m --set hardware.noc.link.bytesPerCycle=32 >/dev/null
done
single_s=$(echo "$(date +%s.%N) - $start" | bc)
python3 - "$sweep_s" "$single_s" "$jobs" "$completed" <<'PY'
import json, sys
sweep, single, jobs, completed = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
per_jvm = single / 10
print(json.dumps({"points": 100, "completed": completed, "jobs": jobs,
                  "sweepWallSeconds": round(sweep, 1), "sweepSecondsPerPoint": round(sweep / 100, 3),
                  "baselineJvmPerPointSecondsPerPoint": round(per_jvm, 3),
                  "baselineJvmPerPointWallSeconds100": round(per_jvm * 100 / jobs, 1),
                  "speedupOverJvmPerPoint": round(per_jvm * 100 / jobs / sweep, 2)}))
PY
