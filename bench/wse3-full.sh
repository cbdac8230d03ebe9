#!/usr/bin/env bash
# A GEMV (timing mode) on a WSE-3-size fabric: the wse2-like preset at 762 x 1172 cores, about
# 6.25 million components, at -Xmx16g. Run it alone on a 24 GiB machine.
# Prints wall time, events/s, start-up per component, live heap per component and peak heap as JSON.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jdk="$("$here/meshemu" --java-home)"
export JAVA_HOME="$jdk"
mopts="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
(cd "$here" && MAVEN_OPTS="$mopts" mvn -B -q -Dstyle.color=never -DskipTests install >&2 \
  && MAVEN_OPTS="$mopts" mvn -B -q -Dstyle.color=never test-compile -pl tests >&2)
cp="$here/tests/target/test-classes:$here/cluster-deploy/target/meshemu.jar:$here/cluster-deploy/target/lib/*"
# shellcheck disable=SC2086
"$jdk/bin/java" --sun-misc-unsafe-memory-access=allow -Xmx16g ${MESHEMU_JAVA_OPTS:-} -cp "$cp" org.meshemu.tests.bench.KernelBench \
  scenario "$here/scenarios/gemv-tree-16x16.yaml" hardware.preset=wse2-like hardware.noc.width=762 hardware.noc.height=1172 \
  run.payload=timing workload.rows=4688 workload.cols=3048 2> >(grep -v '^  \.\.\.' >&2)
