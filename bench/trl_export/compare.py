"""Prints rlx's and TRL's greedy test accuracy (and mean training reward) by RL step, side by side.

    python compare.py RLX_METRICS.jsonl TRL_METRICS.jsonl [RLX_RUN_OUTPUT]
rlx's metrics.jsonl has eval_accuracy on its eval steps and reward on every step; train.py's has lines
{"step", "eval_accuracy"} and {"step", "reward", "rewards/<term>/mean", ...}.
"""
import json
import re
import sys


# the same quantity under rlx's and train.py's (TRL's) names
SERIES = {"reward": ("reward", "reward"), "correct": ("reward/correct", "rewards/correct/mean"),
          "length": ("length_mean", "completions/mean_length"), "entropy": ("entropy", "entropy")}


def read(path, side):
    acc, series = {}, {k: {} for k in SERIES}
    for line in open(path, encoding="utf-8"):
        r = json.loads(line)
        if r.get("eval_accuracy") is not None:
            acc[r["step"]] = r["eval_accuracy"]
        for name, keys in SERIES.items():
            v = r.get(keys[side])
            if isinstance(v, (int, float)):
                series[name][r["step"]] = v
    return acc, series


def mean_over(d, lo, hi):
    xs = [v for s, v in d.items() if lo <= s <= hi]
    return sum(xs) / len(xs) if xs else float("nan")


rlx_acc, rlx_s = read(sys.argv[1], 0)
if len(sys.argv) > 3:  # `rlx run`'s output has the evals, the one before step 1 included
    for line in open(sys.argv[3], encoding="utf-8"):
        m = re.match(r"eval\s+step (\d+): accuracy ([0-9.]+)", line.strip())
        if m:
            rlx_acc[int(m.group(1))] = float(m.group(2))
trl_acc, trl_s = read(sys.argv[2], 1)
print("greedy test accuracy by RL step (same SFT start, data order and steps)")
print(f"{'step':>6} {'rlx':>7} {'TRL':>7}")
for s in sorted(set(rlx_acc) | set(trl_acc)):
    a = f"{rlx_acc[s]:.3f}" if s in rlx_acc else "-"
    b = f"{trl_acc[s]:.3f}" if s in trl_acc else "-"
    print(f"{s:>6} {a:>7} {b:>7}")
last = max(list(rlx_s["reward"]) + list(trl_s["reward"]) + [1])
print("training batches, means over step ranges (reward: the weighted score; correct: the share right; length:")
print("completion tokens with EOS; entropy: per token)")
for lo, hi in ((1, max(1, last // 5)), (last - last // 5 + 1, last)):
    cells = "  ".join(f"{n} {mean_over(rlx_s[n], lo, hi):.3f} / {mean_over(trl_s[n], lo, hi):.3f}" for n in SERIES)
    print(f"  steps {lo}-{hi} (rlx / TRL): {cells}")
