#!/usr/bin/env bash
# Prints, one JSON object per line, closed-loop read bandwidth and mean latency through one DRAM channel
# for every preset, sequential and random addresses, and each depth of the DRAMSim3 comparison (the
# figures docs/validation/dramsim3.csv sets beside DRAMSim3's). Usage: bench/dram-bandwidth.sh [REQUESTS]
# (default 100000; docs/validation/dramsim3.csv uses 50000).
# The benchmark is dram-bank's test class DramBandwidthProbe: Maven compiles it (with what it needs) first.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jdk="$("$here/meshemu" --java-home)"
export JAVA_HOME="$jdk"
mopts="${MAVEN_OPTS:-}"
major="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$jdk/release" 2>/dev/null | head -n1)"
[ "${major:-0}" -ge 24 ] && mopts="$mopts --sun-misc-unsafe-memory-access=allow" # Maven's Guava uses it
(cd "$here" && MAVEN_OPTS="$mopts" mvn -B -q -Dstyle.color=never -DskipTests \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath \
  test-compile dependency:build-classpath -pl dram-bank -am >&2)
t="$here/dram-bank/target"
exec "$jdk/bin/java" -cp "$t/test-classes:$t/classes:$(cat "$t/bench.classpath")" org.meshemu.dram.DramBandwidthProbe "$@"
