#!/usr/bin/env bash
# Unauthenticated memory exhaustion bench (issue 13, item 5): concurrent large unsigned bodies
# beside legitimate deliveries, on a 192 MB heap. Loopback only, bounded rounds.
# Usage: bench/memory.sh [rounds=3] [attackers=24] [body-bytes=26000000] [chunked-rounds=1]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
module="$(dirname "$here")"

# Builds in the worktree only (no install): the reactor resolves schemas and testkit from their
# target/classes; the last module written, ingest-bridge, leaves its test classpath.
(cd "$module/.." && mvn -B -ntp -o -q -pl ingest-bridge -am -DskipTests test-compile \
  dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$here/.classpath")

# Vert.x catches an OutOfMemoryError thrown in a handler and logs it: count those too.
status=0
java -Xmx192m ${BENCH_JAVA_OPTS:-} -Dlog4j2.configurationFile="$here/log4j2-bench.xml" \
  -cp "$module/target/classes:$(cat "$here/.classpath")" "$here/MemoryBench.java" \
  --rounds "${1:-3}" --attackers "${2:-24}" --body-bytes "${3:-26000000}" --chunked-rounds "${4:-1}" \
  2> >(tee "$here/.memory-bench.log" >&2) || status=$?
sleep 1
ooms=$(grep -c "OutOfMemoryError" "$here/.memory-bench.log" || true)
echo "OutOfMemoryError lines in the log: $ooms"
[ "$status" -eq 0 ] && [ "$ooms" -eq 0 ]
