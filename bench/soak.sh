#!/usr/bin/env bash
# Soak: a long synthetic-traffic run (uniform traffic on a 32 x 32 mesh at 0.1 packets/node/cycle,
# kept in its warm-up so that no latency sample is stored), its live heap sampled every minute,
# taking a checkpoint every CHECKPOINT_EVERY local windows (default 20000; 0: none), then stopped
# by SIGTERM, which also checks that status.json says "interrupted" with the progress.
# Prints one JSON line per sample, {"minute", "liveHeapBytes", "windows", "simulatedPs", "events"}
# (live heap: the class histogram's total after the full collection jcmd makes), then a summary,
# {"samples", "firstLiveHeapBytes", "lastLiveHeapBytes", "maxLiveHeapBytes", "growthBytesPerMinute"
# (least squares over the samples after the first), "status", "checkpoints" (taken), "lastCheckpoint"
# (its line)}. A steady run has a growth near 0.
# Usage: bench/soak.sh [MINUTES (default 60)] [run options, e.g. --set hardware.noc.width=64]
# Runs ./meshemu (which builds on first use); MESHEMU_JAVA_OPTS reaches its JVM. Run it alone.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
minutes="${1:-60}"; [ $# -gt 0 ] && shift
jdk="$("$here/meshemu" --java-home)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$here/meshemu" run "$here/scenarios/noc-uniform-8x8.yaml" --out "$tmp/run" \
  --set hardware.noc.width=32 --set hardware.noc.height=32 --set workload.injectionRate=0.1 \
  --set workload.warmupCycles=1000000000000 --set workload.measureCycles=1 --checkpoint-every "${CHECKPOINT_EVERY:-20000}" "$@" >"$tmp/out.txt" 2>"$tmp/err.txt" &
launcher=$!
pid=""
for _ in $(seq 1 600); do # the launcher may build first; the JVM then writes status.json with its pid
  [ -f "$tmp/run/status.json" ] && pid="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' "$tmp/run/status.json")" && break
  kill -0 "$launcher" 2>/dev/null || { cat "$tmp/err.txt" >&2; exit 1; }
  sleep 1
done
[ -n "$pid" ] || { echo "soak: the run did not start" >&2; exit 1; }
samples="$tmp/samples.jsonl"
for m in $(seq 1 "$minutes"); do
  sleep 60
  kill -0 "$pid" 2>/dev/null || { echo "soak: the run ended early" >&2; cat "$tmp/err.txt" >&2; exit 1; }
  live="$("$jdk/bin/jcmd" "$pid" GC.class_histogram | awk '/^Total/ {print $3}')"
  # the last progress line: "... simulated 70.840 us | 70,841 windows | 330,853,560 events | ..."
  read -r windows simulated events <<<"$(tr '\r' '\n' <"$tmp/err.txt" | python3 -c '
import re, sys
found = [m for m in (re.search(r"simulated ([\d.,]+) us \| ([\d,]+) windows \| ([\d,]+) events", l) for l in sys.stdin) if m]
m = found[-1] if found else None
print(*(["0", "0", "0"] if m is None else [m.group(2).replace(",", ""), round(float(m.group(1).replace(",", "")) * 1e6), m.group(3).replace(",", "")]))')"
  echo "{\"minute\": $m, \"liveHeapBytes\": $live, \"windows\": $windows, \"simulatedPs\": $simulated, \"events\": $events}" | tee -a "$samples"
done
kill -TERM "$pid"
wait "$launcher" 2>/dev/null || true
python3 - "$samples" "$tmp/run/status.json" "$tmp/err.txt" <<'PY'
import json, sys
s = [json.loads(l) for l in open(sys.argv[1])]
status = json.load(open(sys.argv[2]))
checkpoints = [l.strip() for l in open(sys.argv[3], errors="replace").read().replace("\r", "\n").split("\n") if ".ckpt" in l]
heap = [x["liveHeapBytes"] for x in s]
tail = s[1:] if len(s) > 2 else s
n = len(tail)
mx = sum(x["minute"] for x in tail) / n
my = sum(x["liveHeapBytes"] for x in tail) / n
den = sum((x["minute"] - mx) ** 2 for x in tail)
growth = sum((x["minute"] - mx) * (x["liveHeapBytes"] - my) for x in tail) / den if den else 0.0
print(json.dumps({"samples": len(s), "firstLiveHeapBytes": heap[0], "lastLiveHeapBytes": heap[-1], "maxLiveHeapBytes": max(heap),
                  "growthBytesPerMinute": round(growth), "status": status["state"], "progress": status.get("progress"),
                  "checkpoints": len(checkpoints), "lastCheckpoint": checkpoints[-1] if checkpoints else None}))
PY
