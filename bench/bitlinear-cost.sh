#!/usr/bin/env bash
# Prints, one JSON object per line, the core cycles of every BitNet b1.58 2B4T projection (and the
# whole layer) by LUT-GEMM and by dequantise-then-GEMM (int8, bf16), for decode (1 token) and a
# 128-token prefill, with the default core spec. Arguments change it as --set would, relative to
# hardware.core: e.g. bench/bitlinear-cost.sh lutGroupSize=2 vectorLanes=64
# The benchmark is core-actor's test class BitLinearCosts: Maven compiles it (with what it needs) first.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/test-classpath.sh"
cp="$(test_classpath core-actor)"
exec "$jdk/bin/java" -cp "$cp" org.meshemu.aicore.BitLinearCosts "$@"
