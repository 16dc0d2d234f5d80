#!/usr/bin/env bash
# Accuracy of the CI failure classes and of the log excerpt on real, labelled CI failure logs
# (issue 21). Usage: flink-jobs/bench/logs/run.sh
#
# The datasets are fetched into LOGS_BENCH_DATA (default ~/.cache/repostream/logs-bench), outside
# the project: LogChunks has no licence (evaluation only, never committed); CiDiff is Apache-2.0.
#   LOGCHUNKS_GIT  git URL or local git dir of lacinoire/master-thesis (LogChunks' data)
#   CIDIFF_GIT     git URL or local git dir of labri-progress/cidiff
# Both are read at the commits below.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
module="$(dirname "$(dirname "$here")")"
root="$(dirname "$module")"
data="${LOGS_BENCH_DATA:-$HOME/.cache/repostream/logs-bench}"
logchunks_git="${LOGCHUNKS_GIT:-https://github.com/lacinoire/master-thesis}"
logchunks_commit=647916a705a9c52fabd957e69d7893c07140ca12
cidiff_git="${CIDIFF_GIT:-https://github.com/labri-progress/cidiff}"
cidiff_commit=3cad9e8e4278e0eea38551b4f71cc1cf08bd9d14

# git archive of some paths of a repository at a commit, from a URL (cloned once) or a git dir
extract() { # source commit target paths...
  local source="$1" commit="$2" target="$3"; shift 3
  local gitdir="$source"
  if [ ! -d "$source" ]; then
    gitdir="$data/$(basename "$source").git"
    [ -d "$gitdir" ] || git clone --bare --filter=blob:none "$source" "$gitdir"
  fi
  mkdir -p "$target"
  git --git-dir="$gitdir" archive "$commit" "$@" | tar -x -C "$target"
}

mkdir -p "$data"
if [ ! -f "$data/logchunks/cases.json" ]; then
  extract "$logchunks_git" "$logchunks_commit" "$data/logchunks" tool/samples tool/example-sets
  python3 "$here/logchunks_cases.py" "$data/logchunks" > "$data/logchunks/cases.json"
fi
if [ ! -d "$data/cidiff/data/breakages" ]; then
  extract "$cidiff_git" "$cidiff_commit" "$data/cidiff" data/breakages
fi

excerpts="$data/excerpts.jsonl"
mkdir -p "$module/target"
(cd "$root" && mvn -B -ntp -o -q -pl action-executor -am test -Dtest=LogExcerptBench \
  -Dsurefire.failIfNoSpecifiedTests=false -Dbench.data="$data" -Dbench.out="$excerpts" \
  -Dbench.report="$module/target/log-excerpt-bench.txt")
(cd "$root" && mvn -B -ntp -o -q -pl flink-jobs -am test -Dtest=LogClassBench \
  -Dsurefire.failIfNoSpecifiedTests=false -Dbench.excerpts="$excerpts" \
  -Dbench.labels="$here/labels.tsv" -Dbench.report="$module/target/log-class-bench.txt")
cat "$module/target/log-excerpt-bench.txt" "$module/target/log-class-bench.txt"
