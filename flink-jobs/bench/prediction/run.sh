#!/usr/bin/env bash
# Predictions per second of the CI success predictor's scoring path on ONE core.
# Usage: flink-jobs/bench/prediction/run.sh [seconds per measurement=5]
# Needs flink-jobs compiled first (`mvn -B -ntp -pl flink-jobs verify` or `compile`).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
module="$(dirname "$(dirname "$here")")"
root="$(dirname "$module")"
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
(cd "$root" && mvn -B -ntp -q -o -pl flink-jobs dependency:build-classpath \
    -Dmdep.includeScope=runtime -Dmdep.outputFile="$cp_file" >/dev/null)
# DL4J (the comparison row, and loading the model) on one native thread, like the job's one slot
export OMP_NUM_THREADS=1
exec taskset -c 0 java -Xmx1g -cp "$module/target/classes:$(cat "$cp_file")" \
    "$here/PredictionBench.java" "$@"
