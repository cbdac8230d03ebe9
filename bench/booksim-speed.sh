#!/usr/bin/env bash
# The engine's speed against BookSim2's on the same network and load, alternated round by round so
# that both see the machine in the same state: an 8 x 8 mesh of vc routers (8 VCs, 8-flit buffers,
# 1-flit packets, uniform traffic at 0.1 packets/node/cycle: 1,000 warm-up and 5,000 measured cycles
# of injection, then the drain, about 6,060 cycles) through `./meshemu run
# scenarios/noc-uniform-8x8.yaml`, and BookSim2's `iq` router with the same settings (it runs until
# its latency converges, about 6,130 cycles). Prints one JSON line per round and one with the
# medians: the engine's wall time from its report (`wallSeconds`, docs/REPORT.md) and its simulated
# time (`simulatedTimePs`; the mesh runs at 1 GHz), and BookSim2's own "Total run time", in seconds.
# Usage: BOOKSIM=/path/to/booksim bench/booksim-speed.sh [rounds, default 5]
#   (BookSim2 built elsewhere, never committed; python3 reads the report). Runs ./meshemu, which
#   builds on first use.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
booksim="${BOOKSIM:?set BOOKSIM to a BookSim2 binary}"
rounds="${1:-5}"
case "$rounds" in ''|*[!0-9]*|0) echo "booksim-speed: rounds must be a positive whole number, got '$rounds'" >&2; exit 2 ;; esac
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
printf 'topology = mesh;\nk = 8;\nn = 2;\nrouting_function = dor;\nnum_vcs = 8;\nvc_buf_size = 8;\ntraffic = uniform;\npacket_size = 1;\ninjection_rate = 0.1;\nsim_type = latency;\nseed = 1;\n' > "$tmp/cfg"
run=(run "$here/scenarios/noc-uniform-8x8.yaml" --out "$tmp/out" --force --set hardware.noc.router=vc --set hardware.noc.vc.count=8 --set workload.measureCycles=5000)
"$here/meshemu" "${run[@]}" > /dev/null # builds if needed and writes the start-up cache: not a round
engine=(); theirs=()
for r in $(seq "$rounds"); do
  "$here/meshemu" "${run[@]}" > /dev/null
  e="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["wallSeconds"])' "$tmp/out/report.json")"
  simulated="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["simulatedTimePs"])' "$tmp/out/report.json")"
  b="$({ "$booksim" "$tmp/cfg" 2>&1 || true; } | awk '/Total run time/{print $4}')" # BookSim2 exits non-zero when done
  [ -n "$b" ] || { echo "booksim-speed: BookSim2 printed no run time" >&2; exit 1; }
  engine+=("$e"); theirs+=("$b")
  echo "{\"round\": $r, \"engineWallSeconds\": $e, \"engineSimulatedPs\": $simulated, \"booksimSeconds\": $b}"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
echo "{\"rounds\": $rounds, \"engineWallSecondsMedian\": $(median "${engine[@]}"), \"booksimSecondsMedian\": $(median "${theirs[@]}")}"
