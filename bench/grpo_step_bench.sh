#!/usr/bin/env bash
# Runs the rlx (DJL) GRPO step benchmark (GrpoStepBench) and its PyTorch mirror one after the other, THREADS threads each (default 2), and prints
# the ratios (a step of the real RlTrainer, metrics and samples lines included).
# Usage: [THREADS=n] [SHARE_PROMPTS=1] bench/grpo_step_bench.sh [warmup] [runs]
# THREADS=1 keeps the comparison fair on a busy machine; SHARE_PROMPTS=1 gives the PyTorch mirror rlx's
# once-per-distinct-prompt prompt pass (by default the mirror is the plain loop).
set -euo pipefail
cd "$(dirname "$0")/.."
WARMUP=${1:-5}
RUNS=${2:-20}
THREADS=${THREADS:-2}
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
# glibc settings of the rlx launcher, for both sides: with the old 1 MiB mmap threshold every step re-faulted
# ~12k pages on the JVM side (vs ~1k for Python), which measured glibc, not rlx
export JAVA_HOME THREADS OMP_NUM_THREADS=$THREADS MALLOC_MMAP_THRESHOLD_=${MALLOC_MMAP_THRESHOLD_:-33554432} MALLOC_TRIM_THRESHOLD_=${MALLOC_TRIM_THRESHOLD_:-1073741824}
MAVEN_OPTS=--sun-misc-unsafe-memory-access=allow mvn -o -B -q -pl bench -am compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath >/dev/null
# in the reactor, sibling modules resolve to their target/classes
CP="bench/target/classes:$(cat bench/target/bench.classpath)"
OUT=$(mktemp -d)
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=$THREADS -Dai.djl.pytorch.num_interop_threads=1 \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$CP" dev.rlx.engine.bench.GrpoStepBench "$WARMUP" "$RUNS" | tee "$OUT/rlx.txt"
python3 bench/torch_grpo_step.py "$WARMUP" "$RUNS" | tee "$OUT/torch.txt"
python3 - "$OUT/rlx.txt" "$OUT/torch.txt" <<'PY'
import re, sys
def read(p):
    d = {}
    for line in open(p):
        m = re.match(r"grpo_step median_ms=([\d.]+) min_ms=([\d.]+) max_ms=([\d.]+)", line)
        if m: d["step"] = [float(x) for x in m.groups()]
        m = re.match(r"split median_ms rollout=([\d.]+) reward=([\d.]+) credit=([\d.]+) update=([\d.]+)", line)
        if m: d["split"] = [float(x) for x in m.groups()]
    return d
r, t = read(sys.argv[1]), read(sys.argv[2])
print(f"grpo_step: rlx/torch median time ratio = {r['step'][0] / t['step'][0]:.3f}  (rlx {r['step'][0]:.2f} ms, torch {t['step'][0]:.2f} ms)")
for i, k in enumerate(("rollout", "reward", "credit", "update")):
    print(f"  {k}: rlx {r['split'][i]:.2f} ms, torch {t['split'][i]:.2f} ms")
PY
