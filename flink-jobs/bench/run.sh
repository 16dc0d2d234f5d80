#!/usr/bin/env bash
# Runs the flink-jobs benchmark (Bench) against the reactor's own build, without `mvn install`:
# builds schemas, model-format, ml-training (test scope), testkit and flink-jobs in place, compiles the bench beside them and
# starts it with java on their class path.
# Usage: bench/run.sh [events=60000] [repos=200] [job|source|keyed]
# Extra JVM options (e.g. -XX:StartFlightRecording=...) go in BENCH_JAVA_OPTS.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
module="$(dirname "$here")"
root="$(dirname "$module")"
events="${1:-60000}"
repos="${2:-200}"
mode="${3:-job}"

# one Maven run: package the reactor, then write each module's class path (test scope: the bench
# uses the testkit) into its own target/ — flink-jobs' is the one read below
(cd "$root" && mvn -B -ntp -o -q -pl flink-jobs -am package -DskipTests \
  dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath)
classpath="$module/target/classes:$(cat "$module/target/bench.classpath")"

classes="$here/target/classes"
rm -rf "$classes" && mkdir -p "$classes"
javac --release 17 -nowarn -d "$classes" -cp "$classpath" \
  $(find "$here/src/main/java" -name '*.java')
cp -r "$here/src/main/resources/." "$classes/"

# the same JVM settings as the exec configuration in bench/pom.xml
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
  -cp "$classes:$classpath" io.repostream.bench.Bench "$events" "$repos" "$mode"
