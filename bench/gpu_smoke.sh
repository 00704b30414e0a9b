#!/usr/bin/env bash
# Runs the main example at smoke size on a GPU and prints what it found and needed.
# Usage: bench/gpu_smoke.sh [DEVICE]        (DEVICE: gpu, gpu:N; default gpu)
#
# rlx's build carries the CPU libtorch (pytorch-native-cpu 2.7.1) and DJL's JNI bridge for 2.7.1, whose jar
# also holds the CUDA 12.8 bridge (jnilib/linux-x86_64/cu128). A GPU run therefore needs a CUDA build of
# PyTorch 2.7.1 for CUDA 12.8 installed on the machine; DJL loads its libraries through
#   PYTORCH_LIBRARY_PATH=<site-packages>/torch/lib PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cu128
# which this script sets from the python3 it finds. (The other route, a pytorch-native-cu124 jar from Maven
# Central, exists only for PyTorch 2.5.1 and the DJL release built for it: a different rlx build.)
set -euo pipefail
cd "$(dirname "$0")/.."
device=${1:-gpu}
echo "== GPU"
if command -v nvidia-smi >/dev/null; then
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
else
  echo "no nvidia-smi: this machine shows no NVIDIA GPU"; exit 2
fi
echo "== PyTorch"
torch_info=$(python3 - <<'PY' 2>/dev/null || true
import os, torch
print(torch.__version__, torch.version.cuda or "none", os.path.join(os.path.dirname(torch.__file__), "lib"))
PY
)
if [ -z "$torch_info" ]; then
  echo "python3 has no torch: install torch==2.7.1 for CUDA 12.8 (e.g. pip install torch==2.7.1 --index-url .../cu128)"; exit 2
fi
read -r tver tcuda tlib <<<"$torch_info"
echo "torch $tver, CUDA $tcuda, libraries in $tlib"
case "$tver" in
  2.7.1*) ;;
  *) echo "rlx's DJL bridge is built for PyTorch 2.7.1; found $tver: install torch==2.7.1 (CUDA 12.8)"; exit 2 ;;
esac
[ "$tcuda" = none ] && { echo "this torch is a CPU build: install the CUDA 12.8 build of torch 2.7.1"; exit 2; }
export PYTORCH_LIBRARY_PATH="$tlib" PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cu128
echo "== rlx run examples/arith_grpo.rlx at smoke size on $device"
runs=$(mktemp -d)
start=$(date +%s.%N)
./rlx run examples/arith_grpo.rlx --set device="$device" --set steps=20 --set sft_steps=50 --set test_size=100 \
  --runs "$runs"
echo "wall: $(python3 -c "import time; print(round(time.time() - $start, 1))") s (JVM start, SFT, 20 GRPO steps, evals); run folder: $runs"
python3 - "$runs" <<'PY'
import glob, json, statistics, sys
f = glob.glob(sys.argv[1] + "/**/metrics.jsonl", recursive=True)[0]
lines = [json.loads(l) for l in open(f)]
steps = [l["time_ms_total"] for l in lines[1:]]   # the first step pays for warm-up
print(f"ms per GRPO step: median {statistics.median(steps):.1f} (min {min(steps):.1f}, max {max(steps):.1f}) over {len(steps)} steps")
PY
