#!/usr/bin/env bash
# Runs the rlx (DJL) model benchmark and the PyTorch mirror one after the other, 2 threads each, and prints
# the ratios. Usage: bench/model_bench.sh [warmup] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
WARMUP=${1:-5}
RUNS=${2:-20}
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export JAVA_HOME OMP_NUM_THREADS=2 MALLOC_MMAP_THRESHOLD_=${MALLOC_MMAP_THRESHOLD_:-33554432} MALLOC_TRIM_THRESHOLD_=${MALLOC_TRIM_THRESHOLD_:-1073741824}
MAVEN_OPTS=--sun-misc-unsafe-memory-access=allow mvn -B -q -pl bench -am compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath >/dev/null
# in the reactor, sibling modules resolve to their target/classes
CP="bench/target/classes:$(cat bench/target/bench.classpath)"
OUT=$(mktemp -d)
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=1 \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$CP" dev.rlx.engine.bench.ModelBench "$WARMUP" "$RUNS" | tee "$OUT/rlx.txt"
python3 bench/torch_model_bench.py "$WARMUP" "$RUNS" | tee "$OUT/torch.txt"
python3 - "$OUT/rlx.txt" "$OUT/torch.txt" <<'PY'
import re, sys
def read(p):
    d = {}
    for line in open(p):
        m = re.match(r"(\w+) median_ms=([\d.]+) min_ms=([\d.]+) max_ms=([\d.]+) tokens_per_s=(\d+)", line)
        if m:
            d[m.group(1)] = [float(x) for x in m.groups()[1:]]
    return d
r, t = read(sys.argv[1]), read(sys.argv[2])
for k in ("train_step", "sample_kv"):
    print(f"{k}: rlx/torch median time ratio = {r[k][0] / t[k][0]:.3f}  "
          f"(rlx {r[k][0]:.2f} ms, torch {t[k][0]:.2f} ms; tokens/s rlx {r[k][3]:.0f} vs torch {t[k][3]:.0f})")
PY
