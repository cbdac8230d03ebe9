#!/usr/bin/env bash
# The core's matrix kernels (core-actor's Kernels) under JMH, each beside the plain loop it replaced,
# measured in the same run: the fp32 GEMM/GEMV in GFLOP/s, the LUT-GEMM in GOP/s and ternary weights
# per second, at the slices the full-size scenarios cut (docs/PERFORMANCE.md, "Core kernels"). Prints
# one JSON line per kernel and shape; JMH's progress goes to stderr.
# Usage: bench/kernels.sh [JMH options], e.g. bench/kernels.sh GemmBench -p tokens=1 -i 5
# Defaults: 3 x 1 s warm-up, 3 x 1 s measurement, 1 fork per shape and variant (about 6 minutes for all).
# Builds core-actor with the `bench` profile (src/jmh/java, compiled after the tests' classes).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/test-classpath.sh"
cp="$here/core-actor/target/jmh-classes:$(test_classpath core-actor -Pbench)"
# the Vector API variant is measured beside the product's loops: only this JVM adds the module
exec "$jdk/bin/java" --add-modules jdk.incubator.vector -cp "$cp" org.meshemu.aicore.bench.KernelBenchReport "$@"
