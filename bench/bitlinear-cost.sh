#!/usr/bin/env bash
# Prints, one JSON object per line, the core cycles of every BitNet b1.58 2B4T projection (and the
# whole layer) by LUT-GEMM and by dequantise-then-GEMM (int8, bf16), for decode (1 token) and a
# 128-token prefill, with the default core spec. Arguments change it as --set would, relative to
# hardware.core: e.g. bench/bitlinear-cost.sh lutGroupSize=2 vectorLanes=64
# The benchmark is core-actor's test class BitLinearCosts: Maven compiles it (with what it needs) first.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jdk="$("$here/meshemu" --java-home)"
export JAVA_HOME="$jdk"
mopts="${MAVEN_OPTS:-}"
major="$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$jdk/release" 2>/dev/null | head -n1)"
[ "${major:-0}" -ge 24 ] && mopts="$mopts --sun-misc-unsafe-memory-access=allow" # Maven's Guava uses it
(cd "$here" && MAVEN_OPTS="$mopts" mvn -B -q -Dstyle.color=never -DskipTests \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath \
  test-compile dependency:build-classpath -pl core-actor -am >&2)
t="$here/core-actor/target"
exec "$jdk/bin/java" -cp "$t/test-classes:$t/classes:$(cat "$t/bench.classpath")" org.meshemu.aicore.BitLinearCosts "$@"
