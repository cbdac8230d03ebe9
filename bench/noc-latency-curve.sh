#!/usr/bin/env bash
# Uniform-traffic latency/throughput curve of the 8x8 mesh (scenarios/noc-uniform-8x8.yaml), from
# an injection rate of 0.01 packets/node/cycle past saturation. Prints one JSON document:
# {"scenario": ..., "points": [{"offered": .., "accepted": .., "avgLatency": .., "p99Latency": ..}, ...]}
# Usage: bench/noc-latency-curve.sh [RATE ...]   (extra args replace the default rates)
# Runs ./meshemu (which builds on first use); set MESHEMU to use another launcher.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
meshemu="${MESHEMU:-$here/meshemu}"
rates=("$@")
[ ${#rates[@]} -eq 0 ] && rates=(0.01 0.05 0.1 0.15 0.2 0.25 0.3 0.35 0.4 0.42 0.44 0.46 0.48 0.5 0.55 0.6 0.7)
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for r in "${rates[@]}"; do
  "$meshemu" run "$here/scenarios/noc-uniform-8x8.yaml" --set workload.injectionRate="$r" --out "$tmp/$r" >/dev/null 2>"$tmp/$r.err" \
    || { cat "$tmp/$r.err" >&2; exit 1; }
done
python3 - "$tmp" "${rates[@]}" <<'PY'
import json, sys
tmp, rates = sys.argv[1], sys.argv[2:]
points = []
for r in rates:
    rep = json.load(open(f"{tmp}/{r}/report.json"))
    n = rep["noc"]
    points.append({"injectionRate": float(r), "offered": round(n["offeredPacketsPerNodePerCycle"], 4),
                   "accepted": round(n["acceptedPacketsPerNodePerCycle"], 4),
                   "avgLatency": round(n["avgPacketLatencyCycles"], 2), "p99Latency": n["p99PacketLatencyCycles"],
                   "maxLinkUtilisation": round(max(n["linkUtilisation"].values()), 3),
                   "events": rep["events"], "wallSeconds": round(rep["wallSeconds"], 2)})
print(json.dumps({"scenario": "noc-uniform-8x8", "bisectionBound": 0.5, "points": points}, indent=1))
PY
