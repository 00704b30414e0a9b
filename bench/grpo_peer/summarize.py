"""Summary of bench/grpo_peer.sh: per side and phase, the median over runs of each run's median step time (its
steps after the first SKIP), with min/max over runs; then the ratio rlx / PyTorch of the whole step.

    python bench/grpo_peer/summarize.py RUNS_DIR SKIP
"""
import glob
import json
import os
import statistics
import sys

PHASES = [("step", ["time_ms_total"]), ("sampling", ["time_ms_rollout"]), ("reward", ["time_ms_reward"]),
          ("credit", ["time_ms_batch", "time_ms_credit"]), ("update", ["time_ms_update"])]


def run_medians(path, skip):
    rows = [json.loads(line) for line in open(path)][skip:]
    if not rows:
        sys.exit(f"{path}: no steps after the first {skip}")
    med = {name: statistics.median(sum(r.get(k, 0.0) for k in keys) for r in rows) for name, keys in PHASES}
    med["reward"] = statistics.mean(r["reward"] for r in rows)
    return med


def main():
    runs, skip = sys.argv[1], int(sys.argv[2])
    sides = {"rlx": sorted(glob.glob(os.path.join(runs, "rlx-*", "*", "metrics.jsonl"))),
             "PyTorch": sorted(glob.glob(os.path.join(runs, "torch-*.jsonl")))}
    table = {side: [run_medians(p, skip) for p in paths] for side, paths in sides.items()}
    n = min(len(v) for v in table.values())
    print(f"GRPO step, ms: median over {n} runs of each run's median (steps after the first {skip}); min-max over runs")
    print(f"{'':9s}" + "".join(f"{name:>22s}" for name, _ in PHASES) + f"{'mean reward':>14s}")
    summary = {}
    for side, meds in table.items():
        cells = []
        for name, _ in PHASES:
            v = [m[name] for m in meds]
            summary[(side, name)] = statistics.median(v)
            cells.append(f"{statistics.median(v):8.1f} ({min(v):5.1f}-{max(v):5.1f})")
        print(f"{side:9s}" + "".join(f"{c:>22s}" for c in cells) + f"{statistics.mean(m['reward'] for m in meds):14.3f}")
    for name, _ in PHASES[1:]:
        if name != "reward":
            print(f"{name}: rlx / PyTorch = {summary[('rlx', name)] / summary[('PyTorch', name)]:.2f}")
    print(f"step: rlx / PyTorch = {summary[('rlx', 'step')] / summary[('PyTorch', 'step')]:.2f}")


if __name__ == "__main__":
    main()
