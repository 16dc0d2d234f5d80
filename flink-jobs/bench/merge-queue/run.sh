#!/usr/bin/env bash
# The merge queue bench: the queue's logic on a virtual clock against the GitHub simulator's git
# model and seeded CI, in-process (no Kafka, no Flink). See README.md.
# Usage: flink-jobs/bench/merge-queue/run.sh [pulls=500] [seed=1] [batch=8] [budget=4] [week|saturated]
# Builds schemas, testkit and flink-jobs in place first (no `mvn install`).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
module="$(dirname "$(dirname "$here")")"
root="$(dirname "$module")"
cp_file="$module/target/merge-queue-bench.classpath"
# one Maven run: compile the reactor modules in place and write flink-jobs' test class path (the
# bench uses the testkit), whose reactor entries are the modules' target/classes
(cd "$root" && mvn -B -ntp -o -q -pl flink-jobs -am compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/merge-queue-bench.classpath)
exec java -Xmx1g -cp "$module/target/classes:$(cat "$cp_file")" \
    "$here/MergeQueueBench.java" "$@"
