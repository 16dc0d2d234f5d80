#!/usr/bin/env bash
# Runs the end-to-end latency bench (LatencyBench) against the reactor's own build, without
# `mvn install`: packages local-stack and the modules it needs in place, compiles the bench beside
# them and starts it with java on local-stack's run-time class path.
# Usage: local-stack/bench/run.sh [--scenario single|many|burst] [--rate R] [--events N] ... (--help)
# Extra JVM options (e.g. -XX:StartFlightRecording=...) go in BENCH_JAVA_OPTS.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
module="$(dirname "$here")"
root="$(dirname "$module")"

# one Maven run: package the reactor up to local-stack (which writes target/demo.classpath, its
# run-time class path, as ./demo.sh uses it); BENCH_SKIP_BUILD=1 reuses the last build
classpath_file="$module/target/demo.classpath"
classes="$here/target/classes"
if [ -z "${BENCH_SKIP_BUILD:-}" ] || [ ! -f "$classpath_file" ]; then
  (cd "$root" && mvn -B -ntp -o -q -pl local-stack -am package -DskipTests)
fi
classpath="$module/target/classes:$(cat "$classpath_file")"

if [ -z "${BENCH_SKIP_BUILD:-}" ] || [ ! -d "$classes" ]; then
  rm -rf "$classes" && mkdir -p "$classes"
  javac --release 17 -nowarn -d "$classes" -cp "$classpath" \
    $(find "$here/src/main/java" -name '*.java')
  cp -r "$here/src/main/resources/." "$classes/"
fi

# the JVM settings of ./demo.sh's launcher: Flink needs these opens on Java 17
exec java -Xmx3g -XX:+UseParallelGC \
  --add-opens=java.base/java.lang=ALL-UNNAMED \
  --add-opens=java.base/java.util=ALL-UNNAMED \
  --add-opens=java.base/java.nio=ALL-UNNAMED \
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED \
  --add-opens=java.base/java.net=ALL-UNNAMED \
  --add-opens=java.base/java.io=ALL-UNNAMED \
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
  --add-opens=java.base/java.time=ALL-UNNAMED \
  ${BENCH_JAVA_OPTS:-} \
  -cp "$classes:$classpath" io.repostream.localstack.bench.LatencyBench "$@"
