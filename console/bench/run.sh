#!/usr/bin/env bash
# The Actions page with many rows: starts a throw-away PostgreSQL (Debian's postgresql; as root it
# runs as the user repostream-pg), fills the console's tables with ROWS synthetic actions and times
# REQUESTS page loads per filter. Not part of the test run; bounded; loopback only.
# Usage: console/bench/run.sh [ROWS=1000000] [REQUESTS=200]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
module="$(dirname "$here")"
root="$(dirname "$module")"
rows="${1:-1000000}"
requests="${2:-200}"

if [ -z "${BENCH_SKIP_BUILD:-}" ] || [ ! -f "$module/target/console.classpath" ]; then
  (cd "$root" && mvn -B -ntp -o -q -pl console -am package -DskipTests)
fi
classpath="$module/target/classes:$(cat "$module/target/console.classpath")"
classes="$here/target/classes"
rm -rf "$classes" && mkdir -p "$classes"
javac --release 17 -nowarn -d "$classes" -cp "$classpath" $(find "$here/src/main/java" -name '*.java')

bin="${REPOSTREAM_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}"
data="$here/target/postgres"
as=()
if [ "$(id -u)" = 0 ]; then as=(runuser -u repostream-pg --); fi
mkdir -p "$data"
if [ "$(id -u)" = 0 ]; then chown repostream-pg "$data"; fi
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"${as[@]}" "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --no-locale --no-sync >/dev/null
"${as[@]}" "$bin/pg_ctl" start -w -D "$data" -l "$data/server.log" \
  -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c shared_buffers=256MB" >/dev/null
trap '"${as[@]}" "$bin/pg_ctl" stop -m fast -w -D "$data" >/dev/null; rm -rf "$data"' EXIT
"${as[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres bench

echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on port $port; $rows rows, $requests requests per page"
java -Xmx1g -cp "$classes:$classpath" io.repostream.console.bench.ActionsPageBench \
  "jdbc:postgresql://127.0.0.1:$port/bench" postgres "$rows" "$requests"
