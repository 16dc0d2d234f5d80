#!/usr/bin/env bash
# Hand-written state and record serializers against the ones Flink would pick (SerializerBench),
# on the reactor's own build (no `mvn install`); samples come from flink-jobs' test classes.
# Usage: bench/serializers.sh [runs=7] [ops-per-run=20000]; results: bench/serializers.md
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
module="$(dirname "$here")"
root="$(dirname "$module")"
(cd "$root" && mvn -B -ntp -o -q -pl flink-jobs -am package -DskipTests \
  dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath)
classpath="$module/target/classes:$module/target/test-classes:$(cat "$module/target/bench.classpath")"
classes="$here/target/serializer-classes"
rm -rf "$classes" && mkdir -p "$classes"
javac --release 17 -nowarn -d "$classes" -cp "$classpath" "$here/serializers/SerializerBench.java"
exec java -Xmx1g -XX:+UseParallelGC \
  --add-opens=java.base/java.lang=ALL-UNNAMED \
  --add-opens=java.base/java.util=ALL-UNNAMED \
  --add-opens=java.base/java.time=ALL-UNNAMED \
  -cp "$classes:$classpath" io.repostream.bench.SerializerBench "$@"
