#!/usr/bin/env bash
# A GEMV (timing mode) on the whole WSE-2 fabric: the wse2-like preset at full size, 757 x 996
# cores, 5.3 million components. Needs a 21 GB heap: run it alone on a 24 GiB machine.
# Prints the run's figures as one JSON object.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out="$(mktemp -d)"
MESHEMU_JAVA_OPTS="-Xmx21g ${MESHEMU_JAVA_OPTS:-}" ./meshemu run scenarios/gemv-tree-16x16.yaml \
  --set hardware.preset=wse2-like --set hardware.noc.width=757 --set hardware.noc.height=996 \
  --set run.payload=timing --set workload.rows=3984 --set workload.cols=3028 --out "$out" >&2
python3 - "$out/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(json.dumps({"run": "wse2-like full", "components": r["components"], "simulatedTimePs": r["simulatedTimePs"],
                  "events": r["events"], "windows": r["windows"], "wallSeconds": round(r["wallSeconds"], 1),
                  "eventsPerSecond": round(r["eventsPerSecond"]), "peakHeapMiB": round(r["peakHeapBytes"] / 2**20)}))
PY
rm -rf "$out"
