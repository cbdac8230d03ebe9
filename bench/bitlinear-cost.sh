#!/usr/bin/env bash
# Prints, one JSON object per line, the core cycles of every BitNet b1.58 2B4T projection (and the
# whole layer) by LUT-GEMM and by dequantise-then-GEMM (int8, bf16), for decode (1 token) and a
# 128-token prefill, with the default core spec. Arguments change it as --set would, relative to
# hardware.core: e.g. bench/bitlinear-cost.sh lutGroupSize=2 vectorLanes=64 (a stale build is rebuilt by ./meshemu)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
jdk="$(./meshemu --java-home)"
[ -f cluster-deploy/target/meshemu.jar ] || ./meshemu --help >/dev/null # builds on first use
exec "$jdk/bin/java" -cp "cluster-deploy/target/meshemu.jar:cluster-deploy/target/lib/*" org.meshemu.aicore.BitLinearCosts "$@"
