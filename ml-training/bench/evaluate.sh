#!/usr/bin/env bash
# The honest evaluation (evaluation.txt) of the trainer on a CSV of real builds, both split kinds.
# Usage: ml-training/bench/evaluate.sh [csv=/work/shared/datasets/travistorrent-3-projects.csv] [seed=3]
# Compiles through the reactor (no install): the classpath points at the modules' target/classes.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
module="$(dirname "$here")"
root="$(dirname "$module")"
csv="${1:-/work/shared/datasets/travistorrent-3-projects.csv}"
seed="${2:-3}"
out="${OUT:-/tmp/ml-evaluate}"
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
(cd "$root" && mvn -B -ntp -q -o -pl ml-training -am compile dependency:build-classpath \
    -Dmdep.includeScope=runtime -Dmdep.outputFile="$cp_file" >/dev/null)
export OMP_NUM_THREADS=1
for split in all per-project; do
  extra=()
  [ "$split" = per-project ] && extra=(--split-per-project)
  echo "=== split: $split, seed $seed ==="
  java -cp "$module/target/classes:$(cat "$cp_file")" io.repostream.ml.TrainerMain \
      --csv "$csv" --preset travistorrent --seed "$seed" --out "$out/$split" "${extra[@]}" 2>/dev/null
done
