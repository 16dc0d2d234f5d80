#!/usr/bin/env bash
# Share of the maintenance rule's windows that land in the lowest-impact quarter of hours, against a
# nightly cron at 02:00 local, on four weeks of composed activity (MaintenanceBench, a test-scope
# class that surefire runs only when named).
# Usage: bench/maintenance/run.sh [seed=42]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
module="$(dirname "$(dirname "$here")")"
root="$(dirname "$module")"
seed="${1:-42}"
out="$module/target/maintenance-bench.txt"
rm -f "$out"
(cd "$root" && mvn -B -ntp -o -q -pl flink-jobs -am test -Dtest=MaintenanceBench \
  -Dsurefire.failIfNoSpecifiedTests=false -Dbench.seed="$seed" -Dbench.out="$out")
cat "$out"
