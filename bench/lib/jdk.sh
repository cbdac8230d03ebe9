# Sourced by the benchmarks. Sets here (the repository), jdk (a JDK >= 21, as ./meshemu finds it;
# exported as JAVA_HOME), jopts (an array: the JVM options of a run, from ./meshemu --java-options)
# and mopts (MAVEN_OPTS for that JDK: Maven's Guava needs sun.misc.Unsafe allowed from JDK 24 on).
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jdk="$("$here/meshemu" --java-home)"
export JAVA_HOME="$jdk"
read -r -a jopts <<< "$("$here/meshemu" --java-options)"
mopts="${MAVEN_OPTS:-}"
case " ${jopts[*]} " in *" --sun-misc-unsafe-memory-access=allow "*) mopts="$mopts --sun-misc-unsafe-memory-access=allow" ;; esac
