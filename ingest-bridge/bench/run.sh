#!/usr/bin/env bash
# Runs the ingest-bridge load harness (loopback only, bounded) side by side with the
# @octokit/webhooks Node middleware verifying the same payloads.
# Usage: bench/run.sh [seconds=10] [rate=5000] [warmup=30]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
module="$(dirname "$here")"
seconds="${1:-10}"
rate="${2:-5000}"
warmup="${3:-30}"

(cd "$here/octokit" && npm ci --no-audit --no-fund --silent)
(cd "$module/.." && mvn -B -ntp -o -q -pl ingest-bridge -DskipTests install)
(cd "$module" && mvn -B -ntp -o -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$here/.classpath")

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
node "$here/octokit/server.mjs" "$port" bench-secret &
node_pid=$!
trap 'kill $node_pid 2>/dev/null || true' EXIT
sleep 1

java -Xmx2g -XX:+UseParallelGC ${BENCH_JAVA_OPTS:-} -Dlog4j2.configurationFile="$here/log4j2-bench.xml" \
  -cp "$module/target/classes:$(cat "$here/.classpath")" "$here/BridgeBench.java" \
  --seconds "$seconds" --rate "$rate" --warmup "$warmup" --concurrency 64 \
  --compare "http://127.0.0.1:$port/webhooks/github"
