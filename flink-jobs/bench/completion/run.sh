#!/usr/bin/env bash
# Precision and recall of the completion rule's closes and suggestions at the policy's defaults, on
# a composed history (CompletionBench, a test-scope class that surefire runs only when named).
# Usage: bench/completion/run.sh [issues=1000] [seed=42]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
module="$(dirname "$(dirname "$here")")"
root="$(dirname "$module")"
issues="${1:-1000}"
seed="${2:-42}"
out="$module/target/completion-bench.txt"
rm -f "$out"
(cd "$root" && mvn -B -ntp -o -q -pl flink-jobs -am test -Dtest=CompletionBench \
  -Dsurefire.failIfNoSpecifiedTests=false -Dbench.issues="$issues" -Dbench.seed="$seed" \
  -Dbench.out="$out")
cat "$out"
