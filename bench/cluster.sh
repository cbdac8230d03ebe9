#!/usr/bin/env bash
# Figures of runs over a cluster, as JSON lines, each beside its one-JVM baseline measured in the
# same run of this script:
#   - the wire format on 4 KiB fp32 tiles (MB/s, bytes on the wire) beside plain buffer copies, and
#     the round trip of one message between two actor systems over Artery (an epoch's baseline);
#   - retnet-tiny-cluster and a 4-chip multi-3d-cluster GEMV on one JVM, --nodes 2 and --nodes 4:
#     wall time, epochs, cross-node events and bytes;
#   - the uniform 64 x 64 synthetic-traffic run on one JVM and on --nodes 2.
# Worker JVMs run on 127.0.0.1. Usage: bench/cluster.sh [--quick]   (--quick: the wire figures only)
# About 6 minutes on 2 cores.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$here/bench/lib/jdk.sh" # jdk, jopts (a run's JVM options), mopts
(cd "$here" && MAVEN_OPTS="$mopts" mvn -B -q -Dstyle.color=never -DskipTests package >&2 \
  && MAVEN_OPTS="$mopts" mvn -B -q -Dstyle.color=never test-compile -pl tests -am >&2)
cp="$here/tests/target/test-classes:$here/cluster-deploy/target/meshemu.jar:$here/cluster-deploy/target/lib/*"
"$jdk/bin/java" "${jopts[@]}" -cp "$cp" org.meshemu.tests.bench.WireBench 3
"$jdk/bin/java" "${jopts[@]}" -cp "$cp" org.meshemu.tests.bench.PingBench 5000 2>/dev/null
[ "${1:-}" = "--quick" ] && exit 0

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
# one run: prints the report's figures as JSON (label, nodes, then the report's own numbers)
run() {
  local label="$1" nodes="$2"; shift 2
  local dir="$out/$label-$nodes" args=()
  [ "$nodes" != 1 ] && args=(--nodes "$nodes")
  "$here/meshemu" run "$@" "${args[@]}" --out "$dir" >/dev/null 2>"$dir.err" || { cat "$dir.err" >&2; exit 1; }
  python3 - "$label" "$nodes" "$dir/report.json" <<'PY'
import json, sys
label, nodes, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
r = json.load(open(path))
c = r.get("cluster") or {}
print(json.dumps({"bench": "cluster", "scenario": label, "nodes": nodes, "wallSeconds": round(r["wallSeconds"], 3),
                  "eventsPerSecond": round(r["eventsPerSecond"]), "events": r["events"], "epochs": r["epochs"],
                  "simulatedTimePs": r["simulatedTimePs"], "outputDigest": r.get("outputDigest"),
                  "crossNodeEvents": c.get("crossNodeEvents", 0), "crossNodeBytes": c.get("crossNodeBytes", 0),
                  "barrierWaitSeconds": [n["barrierWaitSeconds"] for n in c.get("placement", [])]}))
PY
}
for n in 1 2 4; do run retnet-tiny-cluster "$n" "$here/scenarios/retnet-tiny-cluster.yaml"; done
gemv=(--set hardware.preset=multi-3d-cluster --set run.payload=timing --set workload.rows=4096 --set workload.cols=4096)
for n in 1 2 4; do run gemv-multi-3d-cluster "$n" "$here/scenarios/gemv-tree-16x16.yaml" "${gemv[@]}"; done
uniform=(--set hardware.noc.width=64 --set hardware.noc.height=64 --set workload.injectionRate=0.1
         --set workload.warmupCycles=100 --set workload.measureCycles=300)
for n in 1 2; do run uniform-64x64 "$n" "$here/scenarios/noc-uniform-8x8.yaml" "${uniform[@]}"; done
