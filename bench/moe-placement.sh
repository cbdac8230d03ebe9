#!/usr/bin/env bash
# Prints one JSON object per (batch, zipf exponent): Phi-MoE's tiny model in timing mode on 2 chips of 2 x 2
# cores (100 GB/s, 500 ns chip links), the experts by `expert-parallel` beside the baselines `sliced` and
# `grouped` measured in the same run: simulated time to first token and per output token (ps), and
# expert-parallel's moe section (worst layer imbalance, all-to-all and off-chip bytes).
# Usage: bench/moe-placement.sh [meshemu run options ...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
chips=(--set hardware.chips.count=2 --set hardware.chips.topology=mesh2d --set hardware.noc.width=2 --set hardware.noc.height=2
       --set hardware.chips.link.bandwidthGBps=100 --set hardware.chips.link.latencyNs=500)
out="$(mktemp -d)"
for batch in 1 4; do
  for exponent in 0 1.2; do
    for experts in sliced grouped expert-parallel; do
      ./meshemu run scenarios/phimoe-tiny-mesh.yaml --out "$out/$batch-$exponent-$experts" "${chips[@]}" --set run.payload=timing \
        --set workload.batch=$batch --set workload.decodeSteps=16 --set workload.experts=$experts --set workload.routing.kind=zipf \
        --set workload.routing.exponent=$exponent --set workload.routing.driftEvery=8 "$@" >/dev/null
    done
    python3 - "$out" "$batch" "$exponent" <<'PY'
import json, sys
out, batch, exponent = sys.argv[1:]
runs = {e: json.load(open(f"{out}/{batch}-{exponent}-{e}/report.json")) for e in ("sliced", "grouped", "expert-parallel")}
row = {"batch": int(batch), "zipfExponent": float(exponent)}
for e, r in runs.items():
    g = r["generation"]
    row[e] = {"timeToFirstTokenPs": g["timeToFirstTokenPs"], "timePerOutputTokenPs": g["timePerOutputTokenPs"]}
m = runs["expert-parallel"]["moe"]
row["expert-parallel"].update({"imbalanceMax": round(m["imbalanceMax"], 3), "allToAllBytes": m["allToAllBytes"], "offChipBytes": m["offChipBytes"]})
row["tpotSpeedupOverSliced"] = round(row["sliced"]["timePerOutputTokenPs"] / row["expert-parallel"]["timePerOutputTokenPs"], 3)
print(json.dumps(row))
PY
  done
done
rm -rf "$out"
