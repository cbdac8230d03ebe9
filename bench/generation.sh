#!/usr/bin/env bash
# Prints one JSON object per generation run: simulated time to first token and per output token (ps),
# the error against the reference, and the host figures (wall seconds, events). The tiny scenarios by
# default; with --full also the three full-size timing scenarios (1-4 minutes each, 12 GB heap).
# Extra arguments are passed to every run, e.g. --set workload.mapping=compute-shift.
# Usage: bench/generation.sh [--full] [meshemu run options ...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scenarios=(retnet-tiny-mesh bitnet-tiny-mesh phimoe-tiny-mesh retnet-tiny-cluster)
if [ "${1:-}" = "--full" ]; then
  shift
  scenarios+=(bitnet-2b-stacked-32x32 retnet-7b-stacked-32x32 phimoe-16x3.8b-stacked-32x32)
  export MESHEMU_JAVA_OPTS="${MESHEMU_JAVA_OPTS:--Xmx12g}"
fi
out="$(mktemp -d)"
for s in "${scenarios[@]}"; do
  ./meshemu run "scenarios/$s.yaml" --out "$out/$s" "$@" >/dev/null
  python3 - "$out/$s/report.json" "$s" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
g, ref = r["generation"], r.get("reference") or {}
print(json.dumps({"run": sys.argv[2], "payload": r["payload"], "mapping": g["mapping"], "promptTokens": g["promptTokens"],
                  "decodeSteps": g["decodeSteps"], "timeToFirstTokenPs": g["timeToFirstTokenPs"],
                  "timePerOutputTokenPs": g["timePerOutputTokenPs"], "maxRelError": ref.get("maxRelError"),
                  "tokensMatch": ref.get("tokensMatch"), "events": r["events"], "wallSeconds": round(r["wallSeconds"], 3)}))
PY
done
rm -rf "$out"
