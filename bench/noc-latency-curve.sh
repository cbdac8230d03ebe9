#!/usr/bin/env bash
# Latency/throughput curve of synthetic traffic on the 8x8 mesh (scenarios/noc-uniform-8x8.yaml), from
# an injection rate of 0.01 packets/node/cycle past saturation. Prints one JSON document:
# {"scenario": ..., "sets": [...], "points": [{"injectionRate": .., "offered": .., "accepted": .., "avgLatency": .., ...}, ...]}
# Usage: bench/noc-latency-curve.sh [--set KEY=VALUE]... [RATE ...]
#   --set is passed to every run (e.g. --set hardware.noc.router=vc --set workload.packetBytes=128
#   --set workload.pattern=transpose); RATEs (packets/node/cycle) replace the default rates.
#   The run stops at the first rate whose average latency exceeds 500 cycles (saturated, as
#   BookSim2's latency_thres), which is printed too.
# Runs ./meshemu (which builds on first use); set MESHEMU to use another launcher.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
meshemu="${MESHEMU:-$here/meshemu}"
sets=()
rates=()
while [ $# -gt 0 ]; do
  case "$1" in
    --set) sets+=(--set "$2"); shift 2 ;;
    *) rates+=("$1"); shift ;;
  esac
done
[ ${#rates[@]} -eq 0 ] && rates=(0.01 0.05 0.1 0.15 0.2 0.25 0.3 0.35 0.4 0.42 0.44 0.46 0.48 0.5 0.55 0.6 0.7)
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
done_rates=()
for r in "${rates[@]}"; do
  "$meshemu" run "$here/scenarios/noc-uniform-8x8.yaml" ${sets[@]+"${sets[@]}"} --set workload.injectionRate="$r" --out "$tmp/$r" >/dev/null 2>"$tmp/$r.err" \
    || { cat "$tmp/$r.err" >&2; exit 1; }
  done_rates+=("$r")
  python3 -c "import json,sys; sys.exit(json.load(open('$tmp/$r/report.json'))['noc']['avgPacketLatencyCycles'] > 500)" || break
done
python3 - "$tmp" "${sets[*]+${sets[*]}}" "${done_rates[@]}" <<'PY'
import json, sys
tmp, sets, rates = sys.argv[1], sys.argv[2], sys.argv[3:]
points = []
for r in rates:
    rep = json.load(open(f"{tmp}/{r}/report.json"))
    n = rep["noc"]
    points.append({"injectionRate": float(r), "offered": round(n["offeredPacketsPerNodePerCycle"], 4),
                   "accepted": round(n["acceptedPacketsPerNodePerCycle"], 4),
                   "avgLatency": round(n["avgPacketLatencyCycles"], 2), "p99Latency": n["p99PacketLatencyCycles"],
                   "maxLinkUtilisation": round(max(n["linkUtilisation"].values(), default=0), 3),
                   "measuredPackets": n["measuredPackets"],
                   "events": rep["events"], "eventsPerPacket": round(rep["events"] / max(1, n["createdPackets"]), 1),
                   "wallSeconds": round(rep["wallSeconds"], 2)})
print(json.dumps({"scenario": "noc-uniform-8x8", "sets": sets.replace("--set ", "").split(), "bisectionBound": 0.5, "points": points}, indent=1))
PY
