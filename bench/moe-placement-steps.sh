#!/usr/bin/env bash
# Runs the expert placement study (scenarios/studies/moe-placement.yaml) and draws its per-step plots
# (decode step time and group imbalance over the steps, per policy and zipf exponent) into
# docs/studies/moe-placement/ beside the sweep's own plots; prints each point's figures as JSON:
# TPOT, mean group imbalance, bytes moved, and flexmoe's speedup over linear at the same exponent.
# Usage: bench/moe-placement-steps.sh [SWEEP_OUT_DIR]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$(mktemp -d)}"
cd "$here"
./meshemu sweep scenarios/studies/moe-placement.yaml --out "$out" --jobs 1 >&2
mkdir -p docs/studies/moe-placement
cp "$out"/plots/*.png docs/studies/moe-placement/
"$(./meshemu --java-home)/bin/java" -cp "cluster-deploy/target/lib/*" bench/MoePlacementSteps.java "$out" docs/studies/moe-placement
python3 - "$out" <<'PY'
import csv, json, sys
rows = [r for r in csv.DictReader(open(sys.argv[1] + "/results.csv")) if r["status"] == "completed"]
tpot = {(r["workload.routing.exponent"], r["workload.placementPolicy.kind"]): float(r["generation.timePerOutputTokenPs"]) for r in rows}
for r in rows:
    x, kind = r["workload.routing.exponent"], r["workload.placementPolicy.kind"]
    row = {"zipfExponent": float(x), "policy": kind, "timePerOutputTokenPs": int(float(r["generation.timePerOutputTokenPs"])),
           "groupImbalanceMean": round(float(r["moe.placementPolicy.groupImbalanceMean"]), 3), "imbalanceMax": round(float(r["moe.imbalanceMax"]), 3),
           "bytesMoved": int(float(r["moe.placementPolicy.bytesMoved"])), "copyPs": int(float(r["moe.placementPolicy.copyPs"]))}
    if kind == "flexmoe" and (x, "linear") in tpot:
        row["tpotSpeedupOverLinear"] = round(tpot[(x, "linear")] / tpot[(x, kind)], 3)
    print(json.dumps(row))
PY
