"""Prints rlx's and TRL's greedy test accuracy (and mean training reward) by RL step, side by side.

    python compare.py RLX_METRICS.jsonl TRL_METRICS.jsonl
rlx's metrics.jsonl has eval_accuracy on its eval steps and reward on every step; train.py's has lines
{"step", "eval_accuracy"} and {"step", "reward", "rewards/<term>/mean", ...}.
"""
import json
import sys


def read(path):
    acc, reward = {}, {}
    for line in open(path, encoding="utf-8"):
        r = json.loads(line)
        if r.get("eval_accuracy") is not None:
            acc[r["step"]] = r["eval_accuracy"]
        for k in ("reward", "score_mean", "score"):
            if k in r and isinstance(r[k], (int, float)):
                reward[r["step"]] = r[k]
                break
    return acc, reward


def mean_over(d, lo, hi):
    xs = [v for s, v in d.items() if lo <= s <= hi]
    return sum(xs) / len(xs) if xs else float("nan")


rlx_acc, rlx_rew = read(sys.argv[1])
trl_acc, trl_rew = read(sys.argv[2])
print("greedy test accuracy by RL step (same SFT start, data order and steps)")
print(f"{'step':>6} {'rlx':>7} {'TRL':>7}")
for s in sorted(set(rlx_acc) | set(trl_acc)):
    a = f"{rlx_acc[s]:.3f}" if s in rlx_acc else "-"
    b = f"{trl_acc[s]:.3f}" if s in trl_acc else "-"
    print(f"{s:>6} {a:>7} {b:>7}")
last = max(list(rlx_rew) + list(trl_rew) + [1])
print("mean training reward (weighted score) over step ranges")
for lo, hi in ((1, max(1, last // 5)), (last - last // 5 + 1, last)):
    print(f"  steps {lo}-{hi}: rlx {mean_over(rlx_rew, lo, hi):.3f}  TRL {mean_over(trl_rew, lo, hi):.3f}")
