#!/usr/bin/env bash
# The kernel's figures, each beside its baseline measured in the same run, as JSON lines:
#   - plain Pekko typed actors passing messages to random torus neighbours, no synchronisation
#     (24,320 actors: the component count of the 64 x 64 uniform run), that run, and the plain
#     actors again (the run is set against their mean);
#   - plain Pekko typed actors spawned under parents of 2,048 (457,728 of them, the component count
#     of the next run), then the 256 x 256 timing-mode GEMV on the wse2-like preset (sparse activity
#     at wafer scale): wall time, events/s, start-up per component, live heap per component, peak heap;
#   - bitnet-2b-stacked-32x32 (sparse model run: wall time per window), that GEMV through
#     `./meshemu run` at -Xmx768m (whether it runs), the default run's process time through
#     `./meshemu run` beside a bare JVM's (`java -version`), and the uniform run and the GEMV each in a JVM
#     that ran it before (as a sweep worker's later points run: compiled, the heap touched), with
#     --full only.
#   - with --wse3 instead (bench/wse3-full.sh): only the whole WSE-3-size fabric GEMV at -Xmx16g;
#   - the machine's memory latency (a chain of dependent loads over 256 KiB, 8 MiB and 256 MiB, in ns)
#     before and after the rounds: the runs miss the caches on nearly every component they start, so
#     their figures, and ratios to the plain actors (which fit the caches better), follow it.
#     Not with --wse3.
# Then (not with --wse3) one line with the ratios the kernel is judged by ("summary", medians over the
# rounds; needs python3).
# Usage: [ROUNDS=n] bench/kernel.sh [--full | --wse3] [extra --set overrides for every scenario run]
# The JVM flags and the start-up cache are the launcher's; MESHEMU_JAVA_OPTS adds to them. About 3.5 minutes a round (--full: +3).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mode=""
case "${1:-}" in --full|--wse3) mode="$1"; shift ;; esac
. "$here/bench/lib/jdk.sh" # jdk, jopts (a run's JVM options), mopts
(cd "$here" && MAVEN_OPTS="$mopts" mvn -B -q -Dstyle.color=never -DskipTests install >&2 \
  && MAVEN_OPTS="$mopts" mvn -B -q -Dstyle.color=never test-compile -pl tests >&2)
# The launcher's start-up cache, as `./meshemu run` uses it (its first run after a build writes it): the
# product's class path comes first, as the cache was made for it, and the probes' classes after it.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$here/meshemu" run --out "$work/run" > /dev/null 2>&1
read -r -a cache <<< "$("$here/meshemu" --cache-options)"
cp="$here/cluster-deploy/target/meshemu.jar:$here/cluster-deploy/target/lib/*:$here/tests/target/test-classes"
threads="$(nproc)"
lines="$work/lines"
probe() { # shellcheck disable=SC2086
  "$jdk/bin/java" "${jopts[@]}" "${cache[@]}" ${MESHEMU_JAVA_OPTS:-} -cp "$cp" org.meshemu.tests.bench.KernelBench "$@" | tee -a "$lines"
}
# the probe takes path=value overrides; the script's own arguments come as --set path=value
extra=(); while [ $# -gt 0 ]; do [ "$1" = "--set" ] && shift; [ $# -gt 0 ] && extra+=("$1") && shift; done
gemv=(hardware.preset=wse2-like run.payload=timing)
gemv256=("${gemv[@]}" hardware.noc.width=256 hardware.noc.height=256 workload.rows=1024 workload.cols=1024 "${extra[@]}")
uniform=(hardware.noc.width=64 hardware.noc.height=64 workload.injectionRate=0.1 workload.warmupCycles=100 workload.measureCycles=300 "${extra[@]}")

if [ "$mode" = "--wse3" ]; then
  MESHEMU_JAVA_OPTS="-Xmx16g ${MESHEMU_JAVA_OPTS:-}" probe scenario "$here/scenarios/gemv-tree-16x16.yaml" "${gemv[@]}" \
    hardware.noc.width=762 hardware.noc.height=1172 workload.rows=4688 workload.cols=3048 "${extra[@]}"
  exit 0
fi
# ROUNDS pairs of each figure and its baseline, one after the other (the baselines move by up to half
# between runs on this machine: plain actors 1.7-4.8 M messages/s in one session, 3.1-5.1 M within one
# run); the plain actors run before and after the uniform run, which is set against their mean; the
# summary takes the median of each round's ratio
probe memory-latency # the machine's state, which the figures follow (docs/PERFORMANCE.md)
for _ in $(seq "${ROUNDS:-1}"); do
  probe plain-actors 24320 10 "$threads"
  probe scenario "$here/scenarios/noc-uniform-8x8.yaml" "${uniform[@]}"
  probe plain-actors 24320 10 "$threads"
  probe plain-spawn 457728 "$threads"
  probe scenario "$here/scenarios/gemv-tree-16x16.yaml" "${gemv256[@]}"
done
probe memory-latency
if [ "$mode" = "--full" ]; then
  MESHEMU_JAVA_OPTS="${MESHEMU_JAVA_OPTS:--Xmx12g}" probe scenario "$here/scenarios/bitnet-2b-stacked-32x32.yaml" "${extra[@]}"
  # the same GEMV as a user runs it, in a 768 MiB heap: the heap estimate must accept it and the run
  # must fit (exitCode 0); its process time includes planning, start-up and the report
  sets=(); for s in "${gemv256[@]}"; do sets+=(--set "$s"); done
  began=$(date +%s.%N); code=0
  MESHEMU_JAVA_OPTS="-Xmx768m" "$here/meshemu" run "$here/scenarios/gemv-tree-16x16.yaml" "${sets[@]}" --out "$work/gemv768" > "$work/gemv768.txt" 2>&1 || code=$?
  python3 -c 'import json, sys, time; print(json.dumps({"run": "gemv-256x256-at-Xmx768m", "exitCode": int(sys.argv[1]),
    "processSeconds": round(time.time() - float(sys.argv[2]), 2)}))' "$code" "$began" | tee -a "$lines"
  # the default run's process time as a user sees it (`./meshemu run`, launcher included), beside the
  # bare JVM's (`java -version` with the run's options): five of each, alternated, medians
  # shellcheck disable=SC2086
  python3 - "$here/meshemu" "$jdk/bin/java" "$work/default" "${jopts[@]}" ${MESHEMU_JAVA_OPTS:-} <<'PY' | tee -a "$lines"
import json, statistics, subprocess, sys, time
launcher, java, out, options = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
def seconds(command):
    began = time.monotonic()
    code = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    return time.monotonic() - began, code
runs, jvms, codes = [], [], set()
for _ in range(5):
    took, code = seconds([launcher, "run", "--out", out, "--force"])
    runs.append(took)
    codes.add(code)
    jvms.append(seconds([java, *options, "-version"])[0])
print(json.dumps({"run": "default", "rounds": 5, "exitCode": max(codes), "processSeconds": round(statistics.median(runs), 3),
                  "processSecondsEach": [round(r, 3) for r in runs], "baseline": "jvm-version",
                  "jvmSeconds": round(statistics.median(jvms), 3)}))
PY
  probe warm 1 "$here/scenarios/noc-uniform-8x8.yaml" "${uniform[@]}"
  probe warm 2 "$here/scenarios/gemv-tree-16x16.yaml" "${gemv256[@]}"
fi
# The ratios the kernel is judged by, from the lines above (docs/PERFORMANCE.md): each figure over its
# baseline in this run; the bitnet run's wall time over the 2.56 M one-cycle windows it took when
# every window was one cycle (its figure before local windows), in microseconds.
python3 - "$lines" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
every = lambda key, value, warm=False: [r for r in rows if r.get(key) == value and (r.get("earlierRunsInJvm", 0) > 0) == warm]
actors = every("baseline", "plain-actors")
plain = [{"messagesPerSecond": (b["messagesPerSecond"] + a["messagesPerSecond"]) / 2} for b, a in zip(actors[0::2], actors[1::2])]
uniform = every("scenario", "noc-uniform-8x8")
spawn, gemv = every("baseline", "plain-spawn"), every("scenario", "gemv-tree-16x16")
median = lambda ratios: round(statistics.median(ratios), 3)
summary = {"summary": "kernel", "rounds": len(plain),
           "uniformOverPlainActors": median([u["eventsPerSecond"] / p["messagesPerSecond"] for p, u in zip(plain, uniform)]),
           "gemvOverUniform": median([g["eventsPerSecond"] / u["eventsPerSecond"] for u, g in zip(uniform, gemv)]),
           "startupOverPlainSpawn": median([g["startupMicrosPerComponent"] / s["microsPerActor"] for s, g in zip(spawn, gemv)]),
           "gemvLiveBytesPerComponent": statistics.median([g["liveBytesPerComponent"] for g in gemv])}
warm_uniform, warm_gemv = every("scenario", "noc-uniform-8x8", True), every("scenario", "gemv-tree-16x16", True)
if warm_uniform and warm_gemv:
    summary["warm"] = {"uniformOverPlainActors": median([warm_uniform[0]["eventsPerSecond"] / p["messagesPerSecond"] for p in plain]),
                       "gemvOverUniform": round(warm_gemv[0]["eventsPerSecond"] / warm_uniform[0]["eventsPerSecond"], 3),
                       "gemvStartupMicrosPerComponent": warm_gemv[0]["startupMicrosPerComponent"]}
bitnet = [r for r in rows if r.get("scenario") == "bitnet-2b-stacked-32x32"]
if bitnet: summary["bitnetMicrosPer2_56MWindows"] = round(1e6 * bitnet[0]["wallSeconds"] / 2.56e6, 2)
small = [r for r in rows if r.get("run") == "gemv-256x256-at-Xmx768m"]
if small: summary["gemvRunsAtXmx768m"] = small[0]["exitCode"] == 0
default = [r for r in rows if r.get("run") == "default"]
if default and default[0]["exitCode"] == 0: summary["defaultRunProcessSeconds"] = default[0]["processSeconds"]
latency = [r for r in rows if r.get("baseline") == "memory-latency"]
if latency: summary["memoryLatencyNs8MiB"] = [r["ns8MiB"] for r in latency]
print(json.dumps(summary))
PY
