#!/usr/bin/env bash
# The cost of watching a run: the 64 x 64 uniform-traffic run with and without `--serve`,
# alternated, one JSON line per run (wall time from report.json; with --serve also the samples taken
# at barriers and the wall time they cost, as the run prints them). Usage: bench/dashboards.sh [PAIRS]
# [extra run options]; PAIRS defaults to 3. Each run takes 10-30 s on 2 cores.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pairs="${1:-3}"; [ $# -gt 0 ] && shift
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
scenario=("$here/scenarios/noc-uniform-8x8.yaml" --set hardware.noc.width=64 --set hardware.noc.height=64
  --set workload.injectionRate=0.1 --set workload.warmupCycles=100 --set workload.measureCycles=1000)
field() { sed -n "s/.*\"$1\" *: *\([0-9.eE+-]*\).*/\1/p" "$2" | head -n1; }
for i in $(seq "$pairs"); do
  for mode in plain serve; do
    opts=(); [ "$mode" = serve ] && opts=(--serve 0 --serve-exit)
    "$here/meshemu" run "${scenario[@]}" --out "$out/$mode" "${opts[@]}" "$@" > "$out/log" 2>&1
    wall="$(field wallSeconds "$out/$mode/report.json")"
    events="$(field events "$out/$mode/report.json")"
    samples="$(sed -n 's/.*sampling *\([0-9,]*\) samples.*/\1/p' "$out/log" | tr -d ',')"
    seconds="$(sed -n 's/.*samples at barriers, \([0-9.]*\) s.*/\1/p' "$out/log")"
    printf '{"pair":%d,"mode":"%s","wallSeconds":%s,"events":%s,"samples":%s,"samplingSeconds":%s}\n' \
      "$i" "$mode" "$wall" "$events" "${samples:-0}" "${seconds:-0}"
  done
done
