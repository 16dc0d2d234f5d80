#!/usr/bin/env bash
# Issue 17's "Measured": assignment load balance, assignments to people who worked on the label,
# would-be escalations and lifecycle closures per week, on a composed history (PeopleBench, a
# test-scope class that surefire runs only when named).
# Usage: bench/people/run.sh [weeks=26] [issues-per-day=6] [seed=42]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
module="$(dirname "$(dirname "$here")")"
root="$(dirname "$module")"
weeks="${1:-26}"
perday="${2:-6}"
seed="${3:-42}"
out="$module/target/people-bench.txt"
rm -f "$out"
(cd "$root" && mvn -B -ntp -o -q -pl flink-jobs -am test -Dtest=PeopleBench \
  -Dsurefire.failIfNoSpecifiedTests=false -Dbench.weeks="$weeks" -Dbench.issuesPerDay="$perday" \
  -Dbench.seed="$seed" -Dbench.out="$out")
cat "$out"
