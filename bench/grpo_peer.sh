#!/usr/bin/env bash
# The peer benchmark of a GRPO step (issue 15): `rlx run` of std/recipes/grpo (bench/grpo_peer/grpo.rlx) against
# the hand-written PyTorch loop a user would otherwise write (bench/grpo_peer/torch_grpo.py), on the same saved
# policy (a GPT-2, 4 layers, dim 128, 4 heads, from a Hugging Face folder with its tokenizer.json), the same
# prompts (work/data.jsonl: 20,000 two-digit additions) and settings: 16 prompts x 8 samples, <= 5 new tokens,
# temperature 1, exact-match reward, GRPO advantages, token-mean PPO-clip at ratio 1, beta 0, AdamW at a
# constant lr 3e-5, grad clip 1.0, no eval. Each side runs STEPS steps RUNS times, alternating, THREADS threads;
# a run's figure is the median over its steps after the first SKIP (warm-up: JIT compilation on rlx's side,
# allocator and kernels on both). Prints, per side and phase, the median over runs with min/max, then the ratio.
#
# rlx runs with the train key shared_prompts (each prompt once in the update's forward); SHARED=false runs the
# default one-pass forward instead.
#
# Usage: [RUNS=3] [STEPS=150] [SKIP=50] [THREADS=2] [SHARED=true] [PYTHON=python3] bench/grpo_peer.sh
# Needs a Python with torch, safetensors and tokenizers (/work/shared/STACK.md: local wheels); without them it
# says so and exits 0. The first run writes bench/grpo_peer/work/ (data, and the SFT start via setup.rlx).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
RUNS=${RUNS:-3}
STEPS=${STEPS:-150}
SKIP=${SKIP:-50}
THREADS=${THREADS:-2}
SHARED=${SHARED:-true}
PYTHON=${PYTHON:-python3}
WORK="$HERE/grpo_peer/work"
if ! "$PYTHON" -c "import torch, safetensors, tokenizers" 2>/dev/null; then
  echo "grpo_peer: skipped: $PYTHON has no torch/safetensors/tokenizers (install them from the local wheels, /work/shared/STACK.md)"
  exit 0
fi
export OMP_NUM_THREADS=$THREADS MKL_NUM_THREADS=$THREADS \
  RLX_JAVA_OPTS="${RLX_JAVA_OPTS:-} -Dai.djl.pytorch.num_threads=$THREADS -Dai.djl.pytorch.num_interop_threads=1"
mkdir -p "$WORK"
if [ ! -s "$WORK/data.jsonl" ]; then
  "$PYTHON" - "$WORK/data.jsonl" <<'PY'
import json, random, sys
r = random.Random(1)
with open(sys.argv[1] + ".tmp", "w") as f:
    for _ in range(20000):
        a, b = r.randrange(100), r.randrange(100)
        f.write(json.dumps({"prompt": f"{a}+{b}=", "answer": a + b}) + "\n")
import os; os.replace(sys.argv[1] + ".tmp", sys.argv[1])
PY
fi
if [ ! -s "$WORK/policy/model.safetensors" ]; then
  echo "== the start: bench/grpo_peer/setup.rlx (300 SFT steps)" >&2
  "$ROOT/rlx" run "$HERE/grpo_peer/setup.rlx" >&2
fi
rm -rf "$WORK/runs" && mkdir -p "$WORK/runs"
for i in $(seq 1 "$RUNS"); do
  echo "== run $i/$RUNS: rlx" >&2
  "$ROOT/rlx" run "$HERE/grpo_peer/grpo.rlx" --set steps="$STEPS" --set shared="$SHARED" --runs "$WORK/runs/rlx-$i" > "$WORK/runs/rlx-$i.log" 2>&1
  echo "== run $i/$RUNS: PyTorch" >&2
  "$PYTHON" "$HERE/grpo_peer/torch_grpo.py" "$WORK/policy" "$WORK/data.jsonl" --steps "$STEPS" --threads "$THREADS" \
    --json "$WORK/runs/torch-$i.jsonl" > "$WORK/runs/torch-$i.log"
done
"$PYTHON" "$HERE/grpo_peer/summarize.py" "$WORK/runs" "$SKIP"
