#!/usr/bin/env bash
# Kill-anywhere resume test: runs SCRIPT once uninterrupted, then again while SIGKILLing it at random moments
# (uniform between 0.3 s and the uninterrupted run's wall time after each start: JVM start-up, evaluation,
# steps, checkpoint writes; a window fixed in seconds would, on a loaded machine, only ever hit the start-up)
# and resuming it,
# until KILLS kills have landed; each time the interrupted run completes, its metrics (without time fields)
# must equal the uninterrupted run's, and a fresh interrupted run starts. Prints kills, completed runs, and
# the first mismatch (exit 1) if any.
# Usage: bench/kill_test.sh [SCRIPT] [STEPS] [KILLS]
#   bench/kill_test.sh cli/src/test/resources/tiny_grpo.rlx 30 100
set -euo pipefail
cd "$(dirname "$0")/.."
script=${1:-cli/src/test/resources/tiny_grpo.rlx}; steps=${2:-30}; kills=${3:-100}
work=$(mktemp -d)
./rlx run "$script" --set steps="$steps" --runs "$work/a" >"$work/a.log" 2>&1   # builds the launcher if needed
# a second uninterrupted run, timed (JVM start included): the kill window
start=$(date +%s.%N)
RLX_NO_BUILD=1 ./rlx run "$script" --set steps="$steps" --runs "$work/a2" >"$work/a2.log" 2>&1
window=$(python3 -c "import time; print(max(2.0, round(time.time() - $start, 2)))")
same() {  # metrics of run folder $1 equal the uninterrupted run's, time fields aside
  python3 - "$work/a" "$1" <<'PY'
import glob, json, sys
def load(d):
    f = glob.glob(d + "/**/metrics.jsonl", recursive=True)[0]
    return [{k: v for k, v in json.loads(l).items() if not k.startswith("time")} for l in open(f)]
sys.exit(0 if load(sys.argv[1]) == load(sys.argv[2]) else 1)
PY
}
same "$work/a2" || { echo "two uninterrupted runs differ: $work/a vs $work/a2" >&2; exit 1; }
landed=0; completed=0; n=0
while [ "$landed" -lt "$kills" ]; do
  runs="$work/b$n"
  run=$(ls -d "$runs"/*/ 2>/dev/null | head -1 || true)
  if [ -n "$run" ] && [ -f "$run/recipe.lock.rlx" ]; then
    RLX_NO_BUILD=1 ./rlx run --resume "$run" >>"$work/b.log" 2>&1 & pid=$!
  else
    RLX_NO_BUILD=1 ./rlx run "$script" --set steps="$steps" --runs "$runs" >>"$work/b.log" 2>&1 & pid=$!
  fi
  sleep "$(python3 -c "import random; print(round(random.uniform(0.3, $window), 2))")"
  if kill -9 "$pid" 2>/dev/null; then
    landed=$((landed + 1)); wait "$pid" 2>/dev/null || true
  else
    wait "$pid" || { echo "a run failed on its own: see $work/b.log" >&2; exit 1; }
    run=$(ls -d "$runs"/*/ | head -1)
    if [ -d "$run/checkpoints/step-$steps" ]; then
      same "$runs" || { echo "MISMATCH after $landed kills: $run vs $work/a" >&2; exit 1; }
      completed=$((completed + 1)); n=$((n + 1))
    fi
  fi
done
run=$(ls -d "$work/b$n"/*/ 2>/dev/null | head -1 || true)
if [ -n "$run" ] && [ -f "$run/recipe.lock.rlx" ]; then
  RLX_NO_BUILD=1 ./rlx run --resume "$run" >>"$work/b.log" 2>&1
  same "$work/b$n" || { echo "MISMATCH in the last run: $run" >&2; exit 1; }
  completed=$((completed + 1))
fi
echo "kills landed: $landed (in 0.3-$window s after each start); interrupted runs completed and equal to the uninterrupted one: $completed (work: $work)"
