#!/usr/bin/env bash
# Prints, one JSON object per line, closed-loop read bandwidth and mean latency through one DRAM channel
# for every preset, sequential and random addresses, and each depth of the DRAMSim3 comparison (the
# figures docs/validation/dramsim3.csv sets beside DRAMSim3's). Usage: bench/dram-bandwidth.sh [REQUESTS]
# (default 100000; docs/validation/dramsim3.csv uses 50000).
# The benchmark is dram-bank's test class DramBandwidthProbe: Maven compiles it (with what it needs) first.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/test-classpath.sh"
cp="$(test_classpath dram-bank)"
exec "$jdk/bin/java" -cp "$cp" org.meshemu.dram.DramBandwidthProbe "$@"
