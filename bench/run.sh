#!/usr/bin/env bash
# Builds the benchmarks and runs them with settings sized for a small (2-core) machine:
# one fork, 3 warm-up and 5 measurement iterations of 2 s each; a full run took 11 minutes (5.5 per
# benchmark, most of the rest being set-up and the cedar-java agreement checks) on a loaded 2-core machine.
# JSON results go to bench/results/<benchmark>.json, the human-readable log beside them.
#
# Usage: bench/run.sh [Oopsla|Scaling ...] [-- extra JMH options]
#   bench/run.sh                       # both benchmarks
#   bench/run.sh Scaling -- -p policies=10,1000
# Environment: JAVA_HOME (default: JDK 25), SKIP_BUILD=1 to reuse bench/target/benchmarks.jar,
#   PORTCULLIS_SHARED to point at the shared data (default: ../shared from the repository root).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"

names=()
while [[ $# -gt 0 && "$1" != "--" ]]; do
    names+=("$1")
    shift
done
[[ "${1:-}" == "--" ]] && shift
[[ ${#names[@]} -eq 0 ]] && names=(Oopsla Scaling)

if [[ "${SKIP_BUILD:-0}" != "1" ]]; then
    ./mvnw -q -B -pl bench -am -DskipTests package
fi

jvm=()
if [[ -n "${PORTCULLIS_SHARED:-}" ]]; then
    jvm+=("-Dportcullis.shared=$PORTCULLIS_SHARED")
fi

mkdir -p bench/results
for name in "${names[@]}"; do
    out="bench/results/$(echo "$name" | tr '[:upper:]' '[:lower:]')"
    echo "== ${name}Benchmark -> $out.json (load: $(cut -d' ' -f1-3 /proc/loadavg))"
    "$JAVA_HOME/bin/java" "${jvm[@]}" -jar bench/target/benchmarks.jar "${name}Benchmark" \
        -f 1 -wi 3 -w 2s -i 5 -r 2s -tu ns \
        -rf json -rff "$out.json" "$@" 2>&1 | tee "$out.log"
done
