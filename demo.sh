#!/usr/bin/env bash
# Runs the repostream demo: the whole pipeline in one JVM (in-process Kafka, ingest bridge, Flink
# MiniCluster with RocksDB, action executor, GitHub simulator), replaying real GitHub example
# webhooks. Builds what it needs first (inside this checkout; nothing is installed).
# Usage: ./demo.sh [--keep-running] [--work-dir DIR] [--timeout PT120S] [--help]
set -euo pipefail
cd "$(dirname "$0")"
echo "Building repostream (the first run downloads dependencies; later runs take seconds) ..." >&2
mvn -B -q -ntp package -DskipTests -Dspotless.check.skip=true -pl local-stack -am
exec java -Xmx2g \
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED \
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED \
  --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
  --add-opens=java.base/java.time=ALL-UNNAMED \
  -cp "local-stack/target/classes:$(cat local-stack/target/demo.classpath)" \
  io.repostream.localstack.LocalStackMain "$@"
