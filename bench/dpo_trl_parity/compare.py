"""Compares the rlx and TRL DPO runs of run.sh and prints a Markdown table (stdlib only).

Inputs (all under WORK): rlx.out (stdout of parity.rlx, with its RLXIDS lines), runs/*/metrics.jsonl (rlx),
trl_ids.jsonl (the ids TRL trains on), and one metrics file per TRL variant:
  trl_torch_sdpa.jsonl          TRL as shipped: torch.optim.AdamW, sdpa attention (the reference)
  trl_rlx_sdpa.jsonl            TRL with rlx's AdamW update formula (trl_dpo.py RlxAdamW)
  trl_rlx_torch_eps_sdpa.jsonl  the same with eps * sqrt(1 - beta2^t): torch's update rearranged
  trl_torch_eager.jsonl         TRL as shipped with eager attention: rounding noise only
Exit status 1 when the ids differ or step 1 is off (loss != log 2 or log-probs/grad norm disagree).
"""

import glob
import json
import math
import os
import sys


def rd(path):
    return [json.loads(line) for line in open(path) if line.strip()]


def main(work, show_steps):
    ok = True
    rlx_ids = [json.loads(line.split(" ", 1)[1]) for line in open(os.path.join(work, "rlx.out"))
               if line.startswith("RLXIDS ")]
    trl_ids = rd(os.path.join(work, "trl_ids.jsonl"))
    same = sum(a == b for a, b in zip(rlx_ids, trl_ids))
    out = []
    out.append(f"token ids: {same}/{len(trl_ids)} pairs identical (rlx {len(rlx_ids)} pairs); "
               f"pair 1 rlx {json.dumps(rlx_ids[0])}, TRL {json.dumps(trl_ids[0])}")
    if same != len(trl_ids) or len(rlx_ids) != len(trl_ids):
        ok = False

    metrics = glob.glob(os.path.join(work, "runs", "*", "metrics.jsonl"))
    r = rd(metrics[0])
    t = {k: rd(os.path.join(work, f"trl_{k}.jsonl")) for k in ("torch_sdpa", "rlx_sdpa", "rlx_torch_eps_sdpa",
                                                               "torch_eager")}
    ref = t["torch_sdpa"]
    n = min(len(r), *(len(v) for v in t.values()))

    s1 = [("loss", r[0]["loss"], ref[0]["loss"]),
          ("mean log-prob sum, chosen", r[0]["chosen_logp"], ref[0]["logps/chosen"]),
          ("mean log-prob sum, rejected", r[0]["rejected_logp"], ref[0]["logps/rejected"]),
          ("grad norm (before clipping)", r[0]["grad_norm"], ref[0]["grad_norm"])]
    out.append("")
    out.append("Step 1 (policy = reference, so the loss is log 2 and the log-probs are the reference's):")
    out.append("")
    out.append("| step 1 | rlx | TRL | abs diff |")
    out.append("|---|---|---|---|")
    for name, a, b in s1:
        out.append(f"| {name} | {a:.7f} | {b:.7f} | {abs(a - b):.1e} |")
        if abs(a - b) > 1e-5 * max(1.0, abs(b)):
            ok = False
    out.append(f"| log 2 | {math.log(2):.7f} | | loss - log 2: rlx {abs(r[0]['loss'] - math.log(2)):.1e}, "
               f"TRL {abs(ref[0]['loss'] - math.log(2)):.1e} |")
    if abs(r[0]["loss"] - math.log(2)) > 1e-5:
        ok = False

    out.append("")
    out.append("Per step (the loss each step logs is that of the weights before its update):")
    out.append("")
    out.append("| step | TRL loss | rlx loss | abs diff | abs diff, rlx vs TRL with rlx's AdamW | "
               "abs diff, TRL vs TRL with rlx's AdamW + torch eps | noise: TRL eager vs sdpa | "
               "grad norm TRL / rlx | reward acc. TRL / rlx |")
    out.append("|---|---|---|---|---|---|---|---|---|")
    for i in range(n):
        if i >= show_steps and i != n - 1:
            continue
        a, b = r[i]["loss"], ref[i]["loss"]
        c = t["rlx_sdpa"][i]["loss"]
        e = t["rlx_torch_eps_sdpa"][i]["loss"]
        z = t["torch_eager"][i]["loss"]
        out.append(f"| {i + 1} | {b:.7f} | {a:.7f} | {abs(a - b):.1e} | {abs(a - c):.1e} | {abs(b - e):.1e} | "
                   f"{abs(b - z):.1e} | {ref[i]['grad_norm']:.4f} / {r[i]['grad_norm']:.4f} | "
                   f"{ref[i]['rewards/accuracies']:.4f} / {r[i]['accuracy']:.4f} |")

    def worst(k, lo, hi, other=None):
        xs = [abs((r[i]["loss"] if other is None else other[i]["loss"]) - t[k][i]["loss"]) for i in range(lo, min(hi, n))]
        return max(xs) if xs else float("nan")

    out.append("")
    for lo, hi in sorted({(0, min(h, n)) for h in (5, 10, 20, n)}):
        out.append(f"max abs loss diff, steps {lo + 1}-{min(hi, n)}: rlx vs TRL {worst('torch_sdpa', lo, hi):.1e}; "
                   f"rlx vs TRL with rlx's AdamW {worst('rlx_sdpa', lo, hi):.1e}; "
                   f"TRL vs TRL eager (noise) {worst('torch_eager', lo, hi, ref):.1e}")
    out.append(f"final reward accuracy (step {n}): TRL {ref[n - 1]['rewards/accuracies']:.4f}, "
               f"rlx {r[n - 1]['accuracy']:.4f}; final loss TRL {ref[n - 1]['loss']:.6f}, rlx {r[n - 1]['loss']:.6f}")
    text = "\n".join(out)
    print(text)
    with open(os.path.join(work, "table.md"), "w") as f:
        f.write(text + "\n")
    if not ok:
        print("PARITY CHECK FAILED (ids or step 1)", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 10))
