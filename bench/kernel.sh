#!/usr/bin/env bash
# The kernel's figures, each beside its baseline measured in the same run, as JSON lines:
#   - plain Pekko typed actors passing messages to random torus neighbours, no synchronisation
#     (24,320 actors: the component count of the 64 x 64 uniform run), then that run;
#   - the 256 x 256 timing-mode GEMV on the wse2-like preset (sparse activity at wafer scale):
#     wall time, events/s, start-up per component, live heap per component;
#   - bitnet-2b-stacked-32x32 (sparse model run: wall time per window), with --full only.
#   - with --wse3 instead (bench/wse3-full.sh): only the whole WSE-3-size fabric GEMV at -Xmx16g.
# Usage: bench/kernel.sh [--full | --wse3] [extra --set overrides for every scenario run]
# The JVM flags are the launcher's; MESHEMU_JAVA_OPTS adds to them. About 3 minutes (--full: +2).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mode=""
case "${1:-}" in --full|--wse3) mode="$1"; shift ;; esac
jdk="$("$here/meshemu" --java-home)"
export JAVA_HOME="$jdk"
mopts="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
(cd "$here" && MAVEN_OPTS="$mopts" mvn -B -q -Dstyle.color=never -DskipTests install >&2 \
  && MAVEN_OPTS="$mopts" mvn -B -q -Dstyle.color=never test-compile -pl tests >&2)
cp="$here/tests/target/test-classes:$here/cluster-deploy/target/meshemu.jar:$here/cluster-deploy/target/lib/*"
threads="$(nproc)"
probe() { # shellcheck disable=SC2086
  "$jdk/bin/java" --sun-misc-unsafe-memory-access=allow ${MESHEMU_JAVA_OPTS:-} -cp "$cp" org.meshemu.tests.bench.KernelBench "$@"
}
uniform=(--set hardware.noc.width=64 --set hardware.noc.height=64 --set workload.injectionRate=0.1
         --set workload.warmupCycles=100 --set workload.measureCycles=300)
set_args() { local a=(); while [ $# -gt 0 ]; do [ "$1" = "--set" ] && shift; a+=("$1"); shift; done; echo "${a[@]}"; }

if [ "$mode" = "--wse3" ]; then
  # shellcheck disable=SC2046
  MESHEMU_JAVA_OPTS="-Xmx16g ${MESHEMU_JAVA_OPTS:-}" probe scenario "$here/scenarios/gemv-tree-16x16.yaml" $(set_args \
    --set hardware.preset=wse2-like --set hardware.noc.width=762 --set hardware.noc.height=1172 --set run.payload=timing \
    --set workload.rows=4688 --set workload.cols=3048 "$@")
  exit 0
fi
probe plain-actors 24320 10 "$threads"
# shellcheck disable=SC2046
probe scenario "$here/scenarios/noc-uniform-8x8.yaml" $(set_args "${uniform[@]}" "$@")
# shellcheck disable=SC2046
probe scenario "$here/scenarios/gemv-tree-16x16.yaml" $(set_args --set hardware.preset=wse2-like --set hardware.noc.width=256 \
  --set hardware.noc.height=256 --set run.payload=timing --set workload.rows=1024 --set workload.cols=1024 "$@")
if [ "$mode" = "--full" ]; then
  # shellcheck disable=SC2046
  MESHEMU_JAVA_OPTS="${MESHEMU_JAVA_OPTS:--Xmx12g}" probe scenario "$here/scenarios/bitnet-2b-stacked-32x32.yaml" $(set_args "$@")
fi
