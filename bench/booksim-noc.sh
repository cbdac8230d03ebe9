#!/usr/bin/env bash
# The vc router against BookSim2, side by side (docs/validation/README.md): for each configuration
# (uniform and transpose traffic, 1- and 4-flit packets, 2 and 8 VCs) sweeps the offered load in
# flits/node/cycle through both simulators until each saturates, then writes
# docs/validation/booksim-noc.csv, booksim-noc-saturation.csv and the plot booksim-noc.png.
# Usage: BOOKSIM=/path/to/booksim bench/booksim-noc.sh   (BookSim2 built elsewhere, never committed)
# Runs ./meshemu (which builds on first use); set MESHEMU to use another launcher.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
booksim="${BOOKSIM:?set BOOKSIM to a BookSim2 binary}"
uniform_grid=(0.02 0.1 0.2 0.26 0.28 0.30 0.32 0.34 0.36 0.38 0.40 0.42 0.44 0.46 0.48 0.50 0.52)
transpose_grid=(0.02 0.04 0.06 0.08 0.09 0.10 0.11 0.12 0.13 0.14 0.15 0.16 0.18 0.20)
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for t in uniform transpose; do for p in 1 4; do for v in 2 8; do
  if [ "$t" = uniform ]; then grid=("${uniform_grid[@]}"); else grid=("${transpose_grid[@]}"); fi
  for fr in "${grid[@]}"; do
    printf 'topology = mesh;\nk = 8;\nn = 2;\nrouting_function = dor;\nnum_vcs = %s;\nvc_buf_size = 8;\ntraffic = %s;\npacket_size = %s;\ninjection_rate = %s;\nsim_type = latency;\nseed = 1;\n' \
      "$v" "$t" "$p" "$(python3 -c "print($fr/$p)")" > "$tmp/cfg"
    out="$(timeout 120 "$booksim" "$tmp/cfg" 2>&1 || true)"
    lat="$(echo "$out" | awk '/Overall Traffic Statistics/{o=1} o&&/Packet latency average/{print $5; exit}')"
    acc="$(echo "$out" | awk '/Overall Traffic Statistics/{o=1} o&&/Accepted flit rate average/{print $6; exit}')"
    unstable="$(echo "$out" | grep -c "unstable\|Too many sample periods" || true)"
    echo "$t,$p,$v,$fr,$lat,$acc,$unstable" >> "$tmp/bs-$t-$p-$v.csv"
    [ "$unstable" != "0" ] && break
  done
  rates=(); for fr in "${grid[@]}"; do rates+=("$(python3 -c "print(round($fr/$p, 6))")"); done
  "$here/bench/noc-latency-curve.sh" --set hardware.noc.router=vc --set hardware.noc.vc.count="$v" --set workload.packetBytes=$((32 * p)) \
    --set workload.pattern="$t" --set workload.warmupCycles=3000 --set workload.measureCycles=10000 "${rates[@]}" > "$tmp/ours-$t-$p-$v.json"
done; done; done
python3 - "$tmp" "$here/docs/validation/booksim-noc.csv" <<'PY'
import json, os, sys
tmp, out = sys.argv[1], sys.argv[2]
rows, sat = [], []
for t in ["uniform", "transpose"]:
    for p in [1, 4]:
        for v in [2, 8]:
            bs, bs_stable = {}, 0.0
            for line in open(f"{tmp}/bs-{t}-{p}-{v}.csv"):
                f = line.strip().split(",")
                fr, ok = float(f[3]), f[6] == "0" and f[4] != ""
                bs[fr] = (float(f[4]), float(f[5])) if ok else None
                # stable: BookSim did not call it unstable and accepted >= 98% of offered
                if ok and float(f[5]) >= 0.98 * fr: bs_stable = max(bs_stable, fr)
            our_stable = 0.0
            for pt in json.load(open(f"{tmp}/ours-{t}-{p}-{v}.json"))["points"]:
                fr = round(pt["injectionRate"] * p, 4)
                if pt["avgLatency"] <= 500 and pt["accepted"] * p >= 0.98 * fr: our_stable = max(our_stable, fr)
                if fr not in bs: continue
                b = bs[fr]
                err = "" if b is None else round(100 * (pt["avgLatency"] - b[0]) / b[0], 1)
                rows.append(f'{t},{p},{v},{fr},{"" if b is None else b[0]},{pt["avgLatency"]},{err},{"" if b is None else b[1]},'
                            f'{round(pt["accepted"] * p, 4)},{pt["eventsPerPacket"]}')
            sat.append(f"{t},{p},{v},{bs_stable},{our_stable}")
with open(out, "w") as f:
    f.write("traffic,packetFlits,vcs,flitRate,booksimLatency,meshemuLatency,latencyErrorPct,booksimAcceptedFlits,meshemuAcceptedFlits,meshemuEventsPerPacket\n")
    f.write("\n".join(rows) + "\n")
with open(out.replace(".csv", "-saturation.csv"), "w") as f:
    f.write("traffic,packetFlits,vcs,booksimSaturationFlitRate,meshemuSaturationFlitRate\n")
    f.write("\n".join(sat) + "\n")
PY
"$("$here/meshemu" --java-home)/bin/java" "$here/bench/NocValidationPlot.java" "$here/docs/validation/booksim-noc.csv" "$here/docs/validation/booksim-noc.png"
