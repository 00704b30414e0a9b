#!/usr/bin/env bash
# Runs experiments of one example over several seeds and prints a table of greedy test accuracy:
# start -> final (best) per run, then mean and spread per experiment, and the first step whose eval reached
# a target accuracy (steps-to-target; "-" when never). Each run is a fresh `rlx run` (its SFT start and data
# are the example's for that seed); run folders go to $RUNS (default: a temp folder).
# Usage: bench/compare/seeds.sh EXAMPLE "EXP1 EXP2 ..." "SEED1 SEED2 ..." TARGET [--set k=v ...]
#   bench/compare/seeds.sh examples/arith_dpo.rlx "add2_dpo add2_ipo" "7 8 9" 0.45
set -euo pipefail
cd "$(dirname "$0")/../.."
example=$1; experiments=$2; seeds=$3; target=$4; shift 4
RUNS=${RUNS:-$(mktemp -d)}
mkdir -p "$RUNS"
results="$RUNS/results.tsv"
[ "${APPEND:-0}" = 1 ] || : > "$results"   # APPEND=1 adds to an earlier table
for exp in $experiments; do
  for seed in $seeds; do
    log="$RUNS/$exp-seed$seed.log"
    start=$(date +%s)
    ./rlx run "$example" --experiment "$exp" --set seed="$seed" --runs "$RUNS/$exp-seed$seed" "$@" >"$log" 2>&1 \
      || { echo "failed: $exp seed $seed (see $log)" >&2; continue; }
    secs=$(( $(date +%s) - start ))
    metrics=$(ls "$RUNS/$exp-seed$seed"/*/metrics.jsonl)
    python3 - "$log" "$metrics" "$exp" "$seed" "$target" "$secs" >>"$results" <<'PY'
import json, re, sys
log, metrics, exp, seed, target, secs = sys.argv[1:]
text = open(log).read().replace("\r", "\n")
start = float(re.search(r"start accuracy\s+([\d.]+)", text).group(1))
final = float(re.search(r"final accuracy\s+([\d.]+)", text).group(1))
best, best_step = re.search(r"best\s+([\d.]+) at step (\d+)", text).groups()
reach = "-"
for line in open(metrics):
    m = json.loads(line)
    if "eval_accuracy" in m and m["eval_accuracy"] >= float(target):
        reach = str(m["step"]); break
times = [json.loads(l) for l in open(metrics)]
step_ms = sorted(t["time_ms_total"] - t.get("time_ms_eval", 0) for t in times)
print("\t".join([exp, seed, f"{start:.3f}", f"{final:.3f}", best, best_step, reach, f"{step_ms[len(step_ms)//2]:.0f}", secs]))
PY
    tail -n 1 "$results"
  done
done
python3 - "$results" "$target" <<'PY'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
print(f"\n| experiment | seeds | start | final: mean (min-max) | best: mean | steps to {sys.argv[2]} | step ms (median) |")
print("|---|---|---|---|---|---|---|")
for exp in dict.fromkeys(r[0] for r in rows):
    rs = [r for r in rows if r[0] == exp]
    fin = [float(r[3]) for r in rs]; best = [float(r[4]) for r in rs]; st = [float(r[2]) for r in rs]
    reach = ", ".join(r[6] for r in rs)
    ms = statistics.median(float(r[7]) for r in rs)
    print(f"| {exp} | {len(rs)} | {statistics.mean(st):.3f} | {statistics.mean(fin):.3f} ({min(fin):.3f}-{max(fin):.3f}) "
          f"| {statistics.mean(best):.3f} | {reach} | {ms:.0f} |")
PY
