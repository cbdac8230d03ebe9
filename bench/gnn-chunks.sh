#!/usr/bin/env bash
# The GNN study (docs/studies/gnn.md): one JSON object per run of a timing-mode GCN on an R-MAT graph,
# for each chunk size and placement (contiguous first, the baseline of each chunk size): simulated time,
# Scatter messages and payload bytes, NoC link bytes (summed over hops), DRAM bytes, mean and max
# utilisation of the cores holding chunks. By default 8,192 vertices and 65,536 draws on an 8 x 8 mesh;
# extra arguments are passed to every run (e.g. --set workload.graph.vertices=16384).
# Usage: bench/gnn-chunks.sh [meshemu run options ...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out="$(mktemp -d)"
base=(--set run.payload=timing --set hardware.noc.width=8 --set hardware.noc.height=8
      --set workload.graph.vertices=8192 --set workload.graph.edges=65536)
for chunk in 32 64 128; do
  for placement in contiguous hashed; do
    run="c$chunk-$placement"
    ./meshemu run scenarios/gnn-gcn-tiny.yaml --out "$out/$run" "${base[@]}" \
      --set workload.chunkVertices=$chunk --set workload.placement=$placement "$@" >/dev/null
    python3 - "$out/$run/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
g = r["gnn"]
print(json.dumps({"chunkVertices": g["chunkVertices"], "placement": g["placement"], "chunks": g["chunks"], "blocks": g["blocks"],
                  "activeCores": g["activeCores"], "simulatedTimePs": r["simulatedTimePs"],
                  "scatterMessages": sum(l["scatterMessages"] for l in g["layers"]),
                  "scatterNocBytes": sum(l["scatterNocBytes"] for l in g["layers"]),
                  "nocLinkBytes": r["traffic"]["nocLinkBytes"],
                  "dramBytes": sum(l["dramBytes"] for l in g["layers"]),
                  "coreUtilisationMean": round(g["coreUtilisationMean"], 4), "coreUtilisationMax": round(g["coreUtilisationMax"], 4),
                  "events": r["events"], "wallSeconds": round(r["wallSeconds"], 2)}))
PY
  done
done
rm -rf "$out"
