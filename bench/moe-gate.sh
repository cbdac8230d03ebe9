#!/usr/bin/env bash
# Prints one JSON object per gate: Phi-MoE's tiny model (4 experts) in timing mode on 2 chips of 2 x 2 cores
# (100 GB/s, 500 ns chip links), experts by `expert-parallel`, batch 4, 16 decode steps, uniform routing drawn by
# the routing core (`routing: gate`): time per output token (ps), the moe section's mean activated experts
# (topK), S-MBU and S-MFU, each beside the sparsemixer top-2 baseline measured in the same run.
# Cores get 2 MiB of SRAM: with maxK 4 a block of 12 tokens keeps 4 results per token on the lead core.
# Usage: bench/moe-gate.sh [meshemu run options ...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
common=(--set hardware.chips.count=2 --set hardware.chips.topology=mesh2d --set hardware.noc.width=2 --set hardware.noc.height=2
        --set hardware.chips.link.bandwidthGBps=100 --set hardware.chips.link.latencyNs=500 --set run.payload=timing
        --set workload.experts=expert-parallel --set workload.batch=4 --set workload.decodeSteps=16 --set workload.routing.kind=gate --set hardware.core.sramKiB=2048)
out="$(mktemp -d)"
gates=("sparsemixer" "top-k:1" "top-k:3" "threshold:0.1" "threshold:0.2" "threshold:0.3")
for g in "${gates[@]}"; do
  kind="${g%%:*}"; arg="${g#*:}"
  set_gate=(--set workload.gate.kind=$kind)
  [[ $kind == top-k ]] && set_gate+=(--set model.config.num_experts_per_tok=$arg)
  [[ $kind == threshold ]] && set_gate+=(--set workload.gate.threshold=$arg --set workload.gate.maxK=4)
  ./meshemu run scenarios/phimoe-tiny-mesh.yaml --out "$out/$g" "${common[@]}" "${set_gate[@]}" "$@" >/dev/null
done
python3 - "$out" "${gates[@]}" <<'PY'
import json, sys
out, gates = sys.argv[1], sys.argv[2:]
def fig(g):
    r = json.load(open(f"{out}/{g}/report.json"))
    m = r["moe"]
    return {"timePerOutputTokenPs": r["generation"]["timePerOutputTokenPs"], "topK": round(m["topK"], 3),
            "sMbu": round(m["sMbu"], 4), "sMfu": round(m["sMfu"], 4)}
base = fig("sparsemixer")
for g in gates[1:]:
    print(json.dumps({"gate": g, **fig(g), "baseline": {"gate": "sparsemixer", **base}}))
PY
rm -rf "$out"
