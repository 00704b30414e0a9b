#!/usr/bin/env bash
# DPO parity with TRL (issue 14, item 6): trains the SAME small GPT-2 on the SAME 64 preference pairs with rlx
# (`./rlx run parity.rlx`) and with trl.DPOTrainer (trl_dpo.py), and prints the loss of every step side by side
# and the final reward accuracy (compare.py; the table is also written to work/table.md). RESULTS.md holds
# the measured figures.
#
# Usage: bench/dpo_trl_parity/run.sh            (from anywhere; about 2 minutes on 2 cores once rlx is built)
#   STEPS=30 LR=1e-4 BETA=0.1 THREADS=1 SHOW=10   the defaults (SHOW: table rows; the last step is always shown).
#   THREADS is the intra-op thread count of both sides; 1 because on a shared 2-core machine two spinning
#   OpenMP threads per process made single runs 10x slower (a 30-step TRL run took 7 s to 136 s).
#   VENV=dir       the Python venv to use or create (default bench/dpo_trl_parity/.venv)
#   PY_WHEELS=dir  the machine's local package copy (default /opt: wheels, pypi/files, pypi-more/files)
#
# How the two runs are made equal:
# - Model: setup.rlx saves a random 4x128 GPT-2 (rlx's arith char tokenizer, vocab 23, no dropout, exact GELU,
#   tied head) to work/model; rlx reads it with load_model, TRL with GPT2LMHeadModel.from_pretrained.
# - Pairs: tasks.preferences(tasks.addition(digits: 2, count: 64, seed: 3), seed: 7), printed by setup.rlx to
#   work/pairs.jsonl; rlx reads them back with tasks.jsonl, TRL with datasets.Dataset.
# - Token ids: rlx trains on BOS + prompt and completion + EOS. TRL tokenizes the prompt with the tokenizer's
#   special tokens and appends the EOS string to each completion; trl_dpo.py gives rlx's tokenizer.json a
#   "<bos> $A" post-processor so TRL builds the same ids. compare.py checks all 64 pairs, and that both sides
#   agree at step 1 on the loss (log 2), the mean chosen/rejected log-prob sums and the gradient norm.
# - Order: every step is the full batch of 64 pairs, so the data order cannot matter.
# - Optimizer: AdamW betas 0.9/0.999, eps 1e-8, weight decay 0, grad clip 1.0, constant lr, no warmup; fp32, CPU.
# Besides TRL as shipped, the bench trains TRL three more times to explain what differs: with rlx's AdamW
# update formula (trl_dpo.py --adam rlx), with that formula and torch's eps placement (--adam rlx_torch_eps),
# and with eager attention instead of sdpa (float rounding only: the noise floor).
#
# Needs Python 3.11 with torch, transformers 5.17.0, trl 1.13.0 from the local package copy (see
# /work/shared/STACK.md); without it the bench says so and exits 0 (skipped). Never part of ./test.sh.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
STEPS=${STEPS:-30}
LR=${LR:-1e-4}
BETA=${BETA:-0.1}
THREADS=${THREADS:-1}
SHOW=${SHOW:-10}
VENV=${VENV:-$HERE/.venv}
PY_WHEELS=${PY_WHEELS:-/opt}
WORK="$HERE/work"
export RLX_JAVA_OPTS="${RLX_JAVA_OPTS:-} -Dai.djl.pytorch.num_threads=$THREADS -Dai.djl.pytorch.num_interop_threads=1"
export OMP_NUM_THREADS=$THREADS TQDM_DISABLE=1 HF_DATASETS_DISABLE_PROGRESS_BARS=1 TRANSFORMERS_VERBOSITY=error \
  HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_DATASETS_CACHE="$WORK/hf_cache" \
  PYTHONHASHSEED=0

# 1. the Python side: a venv with torch, transformers, trl from the local file-based package copy
if ! "$VENV/bin/python" -c "import trl, transformers, torch" 2>/dev/null; then
  links=()
  for d in wheels pypi/files pypi-more/files; do
    [ -d "$PY_WHEELS/$d" ] && links+=(--find-links "$PY_WHEELS/$d")
  done
  if [ ${#links[@]} -eq 0 ] || ! command -v python3 >/dev/null; then
    echo "dpo_trl_parity: skipped: no python3 or no local package copy under $PY_WHEELS (wheels, pypi/files, pypi-more/files)"
    exit 0
  fi
  echo "dpo_trl_parity: creating $VENV (torch, transformers 5.17.0, trl 1.13.0; about a minute)" >&2
  python3 -m venv "$VENV"
  if ! "$VENV/bin/python" -m pip install -q --no-index "${links[@]}" torch transformers==5.17.0 trl==1.13.0 \
       accelerate datasets safetensors tokenizers; then
    echo "dpo_trl_parity: skipped: the packages did not install from $PY_WHEELS"
    exit 0
  fi
fi
PY="$VENV/bin/python"
"$PY" -c "import torch, transformers, trl; print(f'versions: torch {torch.__version__}, transformers {transformers.__version__}, trl {trl.__version__}')"

# 2. the shared starting point: model and pairs (rlx paths are relative to the script's folder)
rm -rf "$WORK"
mkdir -p "$WORK"
cd "$ROOT"
./rlx run "$HERE/setup.rlx" > "$WORK/setup.out"
grep '^PAIR ' "$WORK/setup.out" | sed 's/^PAIR //' > "$WORK/pairs.jsonl"
echo "pairs: $(wc -l < "$WORK/pairs.jsonl") in work/pairs.jsonl, e.g. $(head -n 1 "$WORK/pairs.jsonl")"

# 3. rlx
echo "rlx: $STEPS steps, lr $LR, beta $BETA" >&2
./rlx run "$HERE/parity.rlx" --set steps="$STEPS" --set lr="$LR" --set beta="$BETA" --runs "$WORK/runs" \
  > "$WORK/rlx.out" 2> "$WORK/rlx.err" || { cat "$WORK/rlx.err" "$WORK/rlx.out" >&2; exit 1; }

# 4. TRL: as shipped, then the three variants that explain the differences
cd "$HERE"
for v in "torch sdpa" "rlx sdpa" "rlx_torch_eps sdpa" "torch eager"; do
  set -- $v
  echo "TRL: optimizer $1, attention $2" >&2
  "$PY" trl_dpo.py --model work/model --data work/pairs.jsonl --out "work/trl_$1_$2.jsonl" --steps "$STEPS" \
    --lr "$LR" --beta "$BETA" --threads "$THREADS" --adam "$1" --attn "$2" > "work/trl_$1_$2.out" 2>&1 \
    || { cat "work/trl_$1_$2.out" >&2; exit 1; }
done

# 5. the table
echo
echo "DPO parity, rlx vs TRL: $STEPS full-batch steps of 64 pairs, lr $LR, beta $BETA, $THREADS threads"
"$PY" compare.py "$WORK" "$SHOW"
