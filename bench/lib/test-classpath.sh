# Sourced by the benchmarks that run a module's test classes (bench/kernels.sh, bitlinear-cost.sh,
# dram-bandwidth.sh). Sets here (the repository) and jdk (a JDK >= 21, as ./meshemu finds it), and
# defines test_classpath MODULE [MAVEN ARGS]: compiles MODULE's tests (and what it depends on) with
# Maven, Maven's output on stderr, and prints the class path of its test classes, main classes and
# dependencies.
. "$(dirname "${BASH_SOURCE[0]}")/jdk.sh" # here, jdk, jopts, mopts

test_classpath() {
  local module=$1; shift
  (cd "$here" && MAVEN_OPTS="$mopts" mvn -B -q -Dstyle.color=never -DskipTests "$@" \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath \
    test-compile dependency:build-classpath -pl "$module" -am >&2) || return 1
  local t="$here/$module/target" deps
  deps="$(cat "$t/bench.classpath")" || return 1
  echo "$t/test-classes:$t/classes:$deps"
}
