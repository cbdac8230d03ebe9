#!/usr/bin/env bash
# Checkpoints: size and time of one checkpoint, and what --checkpoint-every costs in wall time.
# For each scenario, runs it without checkpoints and with them (alternated, REPEAT times each),
# then resumes the checkpointed run from its newest checkpoint and checks that it ends with the
# same simulated time, events and output digest. Prints one JSON line per scenario:
# {"scenario", "every" (local windows between checkpoints), "wallSeconds" and
# "wallSecondsWithCheckpoints" (medians, the report's wallSeconds), "overheadPercent",
# "checkpoints" (taken in the last checkpointed run), "checkpointMiB" (size of the last one),
# "stateSeconds" (the longest time a partition spent writing its state, last checkpoint),
# "fileSeconds" (from its first part to the file renamed in place), "resumeSeconds" (the resumed
# run's wallSeconds), "resumedMatches"}.
# Usage: bench/checkpoint.sh [REPEAT (default 1)]. Runs ./meshemu; run it alone on the machine.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repeat="${1:-1}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

measure() { # NAME EVERY SCENARIO [options...]
  local name="$1" every="$2"; shift 2
  local plain=() with=()
  for i in $(seq 1 "$repeat"); do
    rm -rf "$tmp/$name-plain" "$tmp/$name-ckpt"
    "$here/meshemu" run "$@" --out "$tmp/$name-plain" >/dev/null 2>&1
    plain+=("$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["wallSeconds"])' "$tmp/$name-plain/report.json")")
    "$here/meshemu" run "$@" --out "$tmp/$name-ckpt" --checkpoint-every "$every" >/dev/null 2>"$tmp/$name-err.txt"
    with+=("$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["wallSeconds"])' "$tmp/$name-ckpt/report.json")")
  done
  cp "$tmp/$name-ckpt/report.json" "$tmp/$name-whole.json"
  rm "$tmp/$name-ckpt/report.json"
  "$here/meshemu" resume "$tmp/$name-ckpt" --checkpoint-every 0 >/dev/null 2>&1
  python3 - "$name" "$every" "$tmp/$name-err.txt" "$tmp/$name-whole.json" "$tmp/$name-ckpt/report.json" "${plain[*]}" "${with[*]}" <<'PY'
import json, re, statistics, sys
name, every, err, whole, resumed, plain, with_ = sys.argv[1:8]
lines = [l for l in open(err, errors="replace").read().replace("\r", "\n").split("\n") if "checkpoint " in l and ".ckpt" in l]
last = re.search(r"([\d.,]+) MiB \(state written in ([\d.]+) s, file in ([\d.]+) s\)", lines[-1]) if lines else None
w, r = json.load(open(whole)), json.load(open(resumed))
p = statistics.median(float(x) for x in plain.split())
c = statistics.median(float(x) for x in with_.split())
print(json.dumps({"scenario": name, "every": int(every), "wallSeconds": p, "wallSecondsWithCheckpoints": c,
                  "overheadPercent": round(100 * (c - p) / p, 1), "checkpoints": len(lines),
                  "checkpointMiB": float(last.group(1).replace(",", "")) if last else None,
                  "stateSeconds": float(last.group(2)) if last else None, "fileSeconds": float(last.group(3)) if last else None,
                  "resumeSeconds": r["wallSeconds"],
                  "resumedMatches": all(w.get(k) == r.get(k) for k in ("simulatedTimePs", "events", "outputDigest", "noc"))}))
PY
}

measure retnet-tiny-mesh 4000 "$here/scenarios/retnet-tiny-mesh.yaml"
measure uniform-64x64 1000 "$here/scenarios/noc-uniform-8x8.yaml" --set hardware.noc.width=64 --set hardware.noc.height=64 \
  --set workload.injectionRate=0.1 --set workload.warmupCycles=200 --set workload.measureCycles=1000 --partitions 2
measure gemv-256x256 300 "$here/scenarios/gemv-tree-16x16.yaml" --set hardware.preset=wse2-like --set hardware.noc.width=256 \
  --set hardware.noc.height=256 --set run.payload=timing --set workload.rows=1024 --set workload.cols=1024
