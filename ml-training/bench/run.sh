#!/usr/bin/env bash
# Batched ModelScorer throughput on ONE core (taskset + one native thread).
# Usage: ml-training/bench/run.sh [features=35] [seconds per batch size=5]
# Needs `mvn -B -ntp -pl ml-training install` first (uses target/classes and the Maven classpath).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
module="$(dirname "$here")"
root="$(dirname "$module")"
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
(cd "$root" && mvn -B -ntp -q -o -pl ml-training dependency:build-classpath \
    -Dmdep.includeScope=runtime -Dmdep.outputFile="$cp_file" >/dev/null)
export OMP_NUM_THREADS=1
exec taskset -c 0 java -Xmx1g -cp "$module/target/classes:$(cat "$cp_file")" \
    "$here/ScorerBench.java" "$@"
