#!/usr/bin/env bash
# The vc router against BookSim2, side by side (docs/validation/README.md): for each configuration
# (uniform and transpose traffic, 1- and 4-flit packets, 2 and 8 VCs) sweeps the offered load in
# flits/node/cycle through both simulators until each saturates, then writes
# docs/validation/booksim-noc.csv, booksim-noc-saturation.csv and the plot booksim-noc.png.
# Usage: BOOKSIM=/path/to/booksim bench/booksim-noc.sh   (BookSim2 built elsewhere, never committed)
#   CONFIGS="transpose,4,2 ..." re-measures only those configurations (traffic,packetFlits,vcs) and
#   keeps the other configurations' rows of the CSVs; SEED (default 1) seeds both simulators; OUT
#   (default docs/validation) is where the CSVs and the plot go.
#   SEEDS=5 instead runs the seed study (booksim-noc-seeds.csv): each configuration of CONFIGS at
#   each rate of SEED_RATES (flits/node/cycle) with SEEDS independent seeds in both simulators.
# Runs ./meshemu (which builds on first use); set MESHEMU to use another launcher.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
booksim="${BOOKSIM:?set BOOKSIM to a BookSim2 binary}"
all_configs="uniform,1,2 uniform,1,8 uniform,4,2 uniform,4,8 transpose,1,2 transpose,1,8 transpose,4,2 transpose,4,8"
configs="${CONFIGS:-$all_configs}"
seed="${SEED:-1}"
out_dir="${OUT:-$here/docs/validation}"
uniform_grid=(0.02 0.1 0.2 0.26 0.28 0.30 0.32 0.34 0.36 0.38 0.40 0.42 0.44 0.46 0.48 0.50 0.52)
transpose_grid=(0.02 0.04 0.06 0.08 0.09 0.10 0.11 0.12 0.13 0.14 0.15 0.16 0.18 0.20)
# transpose, 4-flit, 2-VC saturates between grid points 7% apart: 0.005 steps there
transpose_fine_grid=(0.02 0.04 0.06 0.08 0.09 0.10 0.11 0.12 0.125 0.13 0.135 0.14 0.145 0.15 0.16 0.18 0.20)
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out_dir"

# One BookSim run: prints latency,accepted flits,unstable (0 or more) for traffic $1, packet flits
# $2, VCs $3, flit rate $4, seed $5.
booksim_run() {
  printf 'topology = mesh;\nk = 8;\nn = 2;\nrouting_function = dor;\nnum_vcs = %s;\nvc_buf_size = 8;\ntraffic = %s;\npacket_size = %s;\ninjection_rate = %s;\nsim_type = latency;\nseed = %s;\n' \
    "$3" "$1" "$2" "$(python3 -c "print($4/$2)")" "$5" > "$tmp/cfg"
  local out lat acc unstable
  out="$(timeout 120 "$booksim" "$tmp/cfg" 2>&1 || true)"
  lat="$(echo "$out" | awk '/Overall Traffic Statistics/{o=1} o&&/Packet latency average/{print $5; exit}')"
  acc="$(echo "$out" | awk '/Overall Traffic Statistics/{o=1} o&&/Accepted flit rate average/{print $6; exit}')"
  unstable="$(echo "$out" | grep -c "unstable\|Too many sample periods" || true)"
  echo "$lat,$acc,$unstable"
}

if [ -n "${SEEDS:-}" ]; then
  rates="${SEED_RATES:-0.12 0.125 0.13 0.135 0.14 0.145}"
  echo "traffic,packetFlits,vcs,flitRate,booksimSeed,booksimLatency,booksimAcceptedFlits,booksimStable,meshemuSeed,meshemuLatency,meshemuAcceptedFlits,meshemuStable" > "$tmp/seeds.csv"
  for c in $configs; do
    IFS=, read -r t p v <<< "$c"
    for fr in $rates; do for i in $(seq 1 "$SEEDS"); do
      IFS=, read -r lat acc unstable <<< "$(booksim_run "$t" "$p" "$v" "$fr" "$i")"
      ours_seed="$i"
      "$here/bench/noc-latency-curve.sh" --set seed="$ours_seed" --set hardware.noc.router=vc --set hardware.noc.vc.count="$v" \
        --set workload.packetBytes=$((32 * p)) --set workload.pattern="$t" --set workload.warmupCycles=3000 --set workload.measureCycles=10000 \
        "$(python3 -c "print(round($fr/$p, 6))")" > "$tmp/seed.json"
      python3 - "$tmp/seed.json" "$t,$p,$v,$fr,$i" "$lat" "$acc" "$unstable" "$ours_seed" >> "$tmp/seeds.csv" <<'PY'
import json, sys
ours, key, lat, acc, unstable, ours_seed = sys.argv[1:]
fr, p = float(key.split(",")[3]), int(key.split(",")[1])
pt = json.load(open(ours))["points"][0]
# stable as in booksim-noc-saturation.csv
bs_stable = unstable == "0" and lat != "" and float(acc) >= 0.98 * fr
our_stable = pt["avgLatency"] <= 500 and pt["accepted"] * p >= 0.98 * fr
print(f'{key},{lat},{acc},{str(bs_stable).lower()},{ours_seed},{pt["avgLatency"]},{round(pt["accepted"] * p, 4)},{str(our_stable).lower()}')
PY
    done; done
  done
  cp "$tmp/seeds.csv" "$out_dir/booksim-noc-seeds.csv"
  exit 0
fi

for c in $configs; do
  IFS=, read -r t p v <<< "$c"
  if [ "$t" = uniform ]; then grid=("${uniform_grid[@]}")
  elif [ "$p,$v" = 4,2 ]; then grid=("${transpose_fine_grid[@]}")
  else grid=("${transpose_grid[@]}"); fi
  for fr in "${grid[@]}"; do
    IFS=, read -r lat acc unstable <<< "$(booksim_run "$t" "$p" "$v" "$fr" "$seed")"
    echo "$t,$p,$v,$fr,$lat,$acc,$unstable" >> "$tmp/bs-$t-$p-$v.csv"
    [ "$unstable" != "0" ] && break
  done
  rates=(); for fr in "${grid[@]}"; do rates+=("$(python3 -c "print(round($fr/$p, 6))")"); done
  "$here/bench/noc-latency-curve.sh" --set seed="$seed" --set hardware.noc.router=vc --set hardware.noc.vc.count="$v" --set workload.packetBytes=$((32 * p)) \
    --set workload.pattern="$t" --set workload.warmupCycles=3000 --set workload.measureCycles=10000 "${rates[@]}" > "$tmp/ours-$t-$p-$v.json"
done
python3 - "$tmp" "$out_dir/booksim-noc.csv" "$all_configs" "$configs" <<'PY'
import json, os, sys
tmp, out, all_configs, configs = sys.argv[1], sys.argv[2], sys.argv[3].split(), sys.argv[4].split()
sat_out = out.replace(".csv", "-saturation.csv")
def kept(path):  # rows of the configurations not re-measured, by configuration
    rows = {}
    if os.path.exists(path):
        for line in open(path).read().splitlines()[1:]:
            rows.setdefault(",".join(line.split(",")[:3]), []).append(line)
    return rows
old_rows, old_sat = kept(out), kept(sat_out)
rows, sat = [], []
for config in all_configs:
    if config not in configs:
        rows += old_rows.get(config, []); sat += old_sat.get(config, [])
        continue
    t, p, v = config.split(","); p, v = int(p), int(v)
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
with open(sat_out, "w") as f:
    f.write("traffic,packetFlits,vcs,booksimSaturationFlitRate,meshemuSaturationFlitRate\n")
    f.write("\n".join(sat) + "\n")
PY
"$("$here/meshemu" --java-home)/bin/java" "$here/bench/NocValidationPlot.java" "$out_dir/booksim-noc.csv" "$out_dir/booksim-noc.png"
