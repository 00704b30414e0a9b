#!/usr/bin/env bash
# rlx export --to trl, proven on this machine (issue 21): exports examples/arith_grpo.rlx, trains it with TRL's
# GRPOTrainer from the same SFT start for the same steps (single process, and two CPU processes through
# `accelerate launch --multi_gpu --num_processes 2`, gloo on a machine without GPUs), and prints TRL's greedy test accuracy next to `rlx run`'s.
# `smoke` exports every stdlib GRPO-family example and runs each under TRL for a few steps.
#
# Usage: bench/trl_export.sh [curve|two|smoke|all]     (default all; from anywhere)
#   STEPS=150 EVERY=25 TEST=200   the curve's RL steps, eval interval and test problems (both sides)
#   TWO_STEPS=4                   RL steps of the two-process run
#   THREADS=1                     intra-op threads per process (2 shared cores: one each)
#   PYTHON=python                 a Python with torch, transformers 5.17.0, trl 1.13.0, accelerate (default: the
#                                 venv bench/trl_export/.venv when it exists, else python3); without trl the bench
#                                 says so and exits 0 (skipped). See /work/shared/STACK.md for the local wheels.
#   ONLY=name                     smoke: only the entries whose name contains this (e.g. ONLY=gspo)
#   WORK=dir                      where exports, runs and logs go (default bench/trl_export/work)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
MODE=${1:-all}
STEPS=${STEPS:-150}
EVERY=${EVERY:-25}
TEST=${TEST:-200}
TWO_STEPS=${TWO_STEPS:-4}
THREADS=${THREADS:-1}
WORK=${WORK:-$HERE/trl_export/work}
if [ -z "${PYTHON:-}" ]; then
  if [ -x "$HERE/trl_export/.venv/bin/python" ]; then PYTHON="$HERE/trl_export/.venv/bin/python"; else PYTHON=python3; fi
fi
if ! "$PYTHON" -c "import trl, transformers, torch, accelerate, yaml" 2>/dev/null; then
  echo "trl_export: skipped: $PYTHON has no trl/transformers/torch/accelerate (install them from the local wheels, "
  echo "  /work/shared/STACK.md, e.g. into bench/trl_export/.venv, or point PYTHON at such a Python)"
  exit 0
fi
PYBIN="$(dirname "$PYTHON")"
export PATH="$PYBIN:$PATH" OMP_NUM_THREADS=$THREADS MKL_NUM_THREADS=$THREADS TQDM_DISABLE=1 \
  TRANSFORMERS_VERBOSITY=error HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 TRANSFORMERS_OFFLINE=1 \
  HF_DATASETS_DISABLE_PROGRESS_BARS=1 HF_DATASETS_CACHE="$WORK/hf_cache" PYTHONHASHSEED=0 \
  RLX_JAVA_OPTS="${RLX_JAVA_OPTS:-} -Dai.djl.pytorch.num_threads=$THREADS -Dai.djl.pytorch.num_interop_threads=1"
mkdir -p "$WORK"
RLX="$ROOT/rlx"
# the main example's plain-GRPO recipe: TRL has no prompt selection (replay) or group filter, so the export
# compares that one (its figures in README were measured with it)
PLAIN=(--set lr=5e-5 --set replay=0.0 --set filter_groups=false --set shared=false)

curve() {
  local sets=(--set steps=$STEPS --set test_size=$TEST "${PLAIN[@]}")
  rm -rf "$WORK/rlx_runs" "$WORK/grpo" "$WORK/trl_single"
  echo "== rlx run examples/arith_grpo.rlx ${sets[*]} (eval every 50 as written; the curve below uses the script's eval)" >&2
  local t0=$SECONDS
  "$RLX" run "$ROOT/examples/arith_grpo.rlx" "${sets[@]}" --runs "$WORK/rlx_runs" > "$WORK/rlx_run.log" 2>&1
  echo "rlx run: $((SECONDS - t0)) s" | tee "$WORK/rlx_time.txt" >&2
  "$RLX" export "$ROOT/examples/arith_grpo.rlx" --to trl "$WORK/grpo" "${sets[@]}" >&2
  echo "== TRL, one process: python train.py (eval every $EVERY RL steps)" >&2
  t0=$SECONDS
  (cd "$WORK/grpo" && "$PYTHON" train.py --set rlx.eval_every=$EVERY --out "$WORK/trl_single") > "$WORK/trl_single.log" 2>&1
  echo "TRL one process: $((SECONDS - t0)) s" | tee "$WORK/trl_time.txt" >&2
  "$PYTHON" "$HERE/trl_export/compare.py" "$WORK/rlx_runs"/*/metrics.jsonl "$WORK/trl_single/metrics.jsonl" "$WORK/rlx_run.log"
}

two() {
  rm -rf "$WORK/grpo2" "$WORK/trl_two"
  "$RLX" export "$ROOT/examples/arith_grpo.rlx" --to trl "$WORK/grpo2" --set steps=$TWO_STEPS --set test_size=$TEST "${PLAIN[@]}" >&2
  # --multi_gpu picks accelerate's torchrun launcher; without GPUs train.py's PartialState(cpu=True) makes the
  # process group gloo on the CPU (`--cpu` would take the single-process launcher instead)
  echo "== TRL, two CPU processes (gloo): accelerate launch --multi_gpu --num_processes 2 train.py" >&2
  local t0=$SECONDS
  (cd "$WORK/grpo2" && accelerate launch --multi_gpu --num_processes 2 --num_machines 1 --mixed_precision no \
     --dynamo_backend no train.py --set rlx.eval_every=2 --out "$WORK/trl_two") > "$WORK/trl_two.log" 2>&1
  grep -h "^train.py:" "$WORK/trl_two.log" || true
  echo "TRL two processes, $TWO_STEPS RL steps: $((SECONDS - t0)) s" >&2
  grep -h "rlx eval" "$WORK/trl_two.log" || true
  "$PYTHON" - "$WORK/trl_two/metrics.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if "reward" in r:
        print(f"two processes: RL step {r['step']}: reward {r['reward']:.3f}, correct {r.get('rewards/correct/mean', 0):.3f}, "
              f"{r.get('num_tokens', 0):.0f} tokens so far")
PY
}

# every stdlib GRPO-family example: EXAMPLE[:EXPERIMENT] and its smoke --set (as the example headers give it)
SMOKE=(
  "arith_grpo|--set sft_steps=20 --set test_size=20 ${PLAIN[*]}"
  "arith_rloo|--set sft_steps=5 --set batch=4 --set test_size=20"
  "arith_gspo|--set sft_steps=5 --set batch=4 --set test_size=20"
  "arith_dapo|--set sft_steps=5 --set batch=4 --set test_size=20"
  "arith_forking_tokens|--set sft_steps=5 --set batch=4 --set test_size=20"
  "arith_schemes:add2_grpo|--set sft_steps=5 --set batch=4 --set test_size=20"
  "arith_schemes:add2_dr_grpo|--set sft_steps=5 --set batch=4 --set test_size=20"
  "arith_schemes:add2_rloo|--set sft_steps=5 --set batch=4 --set test_size=20"
  "arith_schemes:add2_gspo|--set sft_steps=5 --set batch=4 --set test_size=20"
  "arith_schemes:add2_dapo|--set sft_steps=5 --set batch=4 --set test_size=20"
  "arith_methods:add2_grpo|--set sft_steps=5 --set batch=4 --set test_size=20"
  "arith_methods:add2_cppo|--set sft_steps=5 --set batch=4 --set test_size=20"
  "countdown_grpo|--set sft_steps=5 --set batch=4 --set test_size=20 --set train_size=500"
  "countdown_length:countdown_plain|--set sft_steps=5 --set batch=4 --set test_size=20 --set train_size=500"
  "countdown_length:countdown_lambda|--set sft_steps=5 --set batch=4 --set test_size=20 --set train_size=500"
  "chat_math_grpo|--set sft_steps=5 --set batch=4 --set test_size=20"
  "arith_rm|--set sft_steps=5 --set batch=4 --set test_size=20 --set rm_sft_steps=5 --set rm_steps=5 --set pair_test_size=20"
  "arith_custom_credit|--set sft_steps=5 --set batch=4 --set test_size=20"
)

smoke() {
  mkdir -p "$WORK/smoke"
  for entry in "${SMOKE[@]}"; do
    local spec=${entry%%|*} sets=${entry#*|}
    local ex=${spec%%:*} exp=""
    [[ $spec == *:* ]] && exp=${spec#*:}
    local name=$ex${exp:+-$exp} dir="$WORK/smoke/$ex${exp:+-$exp}"
    [[ -n "${ONLY:-}" && $name != *"$ONLY"* ]] && continue
    rm -rf "$dir"
    # shellcheck disable=SC2086
    if ! "$RLX" export "$ROOT/examples/$ex.rlx" --to trl "$dir" ${exp:+--experiment $exp} --set steps=2 $sets \
         > "$WORK/smoke/$name.export.log" 2>&1; then
      echo "$name: refused: $(grep -v '^  hint' "$WORK/smoke/$name.export.log" | tail -n +2 | tr '\n' ' ' | cut -c1-220)"
      continue
    fi
    if (cd "$dir" && "$PYTHON" train.py --set rlx.eval_every=1 --set rlx.eval_limit=8 --out "$dir/out") \
         > "$WORK/smoke/$name.trl.log" 2>&1; then
      echo "$name: TRL ran 2 RL steps: $(grep -c '"reward"' "$dir/out/metrics.jsonl") step lines, eval $(grep -h 'rlx eval' "$WORK/smoke/$name.trl.log" | tail -1 | sed 's/rlx eval: //')"
    else
      echo "$name: TRL FAILED: $(tail -3 "$WORK/smoke/$name.trl.log" | tr '\n' ' ' | cut -c1-300)"
    fi
  done
}

case "$MODE" in
  curve) curve ;;
  two) two ;;
  smoke) smoke ;;
  all) curve; two; smoke ;;
  *) echo "usage: bench/trl_export.sh [curve|two|smoke|all]" >&2; exit 2 ;;
esac
