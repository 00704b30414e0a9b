"""PyTorch side of the GRPO step benchmark (mirror of dev.rlx.engine.bench.GrpoStepBench).

The model of torch_model_bench.py (GPT-2 shape, 4 layers, dim 128, 4 heads, vocab 64, context 32), eager,
THREADS threads (default 2). One step: 16 prompts (BOS + 8 tokens) x group 8 = 128 completions of up to 5 tokens with a KV
cache (temperature 1, torch.multinomial, stop at EOS id 2, sampled log-probs kept), a rule reward on the first
token, GRPO advantages (group mean/std), a forward with grad over prompt+completion (log-probs of the
completion and entropy), token-mean PPO-clip loss with old log-probs = the detached new ones (one epoch,
one minibatch), backward, clip_grad_norm_(1.0), AdamW, then a metrics line and 4 decoded samples written and
flushed, as rlx's step does. GPT-2 initialization and, like rlx, the output projection only on the positions
that need logits. SHARE_PROMPTS=1 also runs the prompt pass once per distinct prompt and repeats its
keys/values over the group, as rlx's sampler does (off by default: the plain loop).

    python bench/torch_grpo_step.py [warmup] [runs]
"""
import json
import os
import statistics
import sys
import tempfile
import time

import torch

from torch_model_bench import GPT, LAYERS, VOCAB

PROMPTS, GROUP, NEW, PLEN, EOS, BOS = 16, 8, 5, 9, 2, 1
SHARE = os.environ.get("SHARE_PROMPTS") == "1"


@torch.no_grad()
def rollout(model, prompts, gen):
    b = prompts.shape[0]
    caches = [[None, None] for _ in range(LAYERS)]
    bias = torch.full((PLEN, PLEN), -1e9).triu(1)
    if SHARE:
        # the prompt pass once per distinct prompt (rows of a group are contiguous), keys/values repeated
        logits = model(prompts[::GROUP], torch.arange(PLEN)[None], bias, caches, head=slice(-1, None))[:, -1]
        logits = logits.repeat_interleave(GROUP, 0)
        for c in caches:
            c[0], c[1] = c[0].repeat_interleave(GROUP, 0), c[1].repeat_interleave(GROUP, 0)
    else:
        logits = model(prompts, torch.arange(PLEN)[None], bias, caches, head=slice(-1, None))[:, -1]
    out, lps = [], []
    done = torch.zeros(b, dtype=torch.bool)
    mask = []
    for step in range(NEW):
        logp = logits.log_softmax(-1)
        nxt = torch.multinomial(logp.exp(), 1, generator=gen)
        lps.append(logp.gather(-1, nxt))
        out.append(nxt)
        mask.append(~done)
        done = done | (nxt[:, 0] == EOS)
        if step == NEW - 1 or bool(done.all()):
            break
        logits = model(nxt, torch.full((1, 1), PLEN + step), torch.zeros(1), caches)[:, -1]
    return torch.cat(out, 1), torch.cat(lps, 1), torch.stack(mask, 1).float()


def main():
    warmup = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    torch.set_num_threads(int(os.environ.get("THREADS", "2")))
    torch.manual_seed(0)
    model = GPT()
    with torch.no_grad():
        # GPT-2 initialization, as rlx's gpt() (PyTorch's default N(0, 1) embeddings with the tied head gave
        # a collapsed policy: zero entropy, identical completions, zero advantages and gradients)
        for name, p in model.named_parameters():
            if p.dim() >= 2:
                p.normal_(0.0, 0.02)
            elif name.endswith("bias") and "ln" not in name:
                p.zero_()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-5, weight_decay=0.0)
    data = torch.randint(4, VOCAB, (256, PLEN))
    data[:, 0] = BOS
    gen = torch.Generator().manual_seed(0)
    cursor = [0]
    print(f"model: torch {torch.__version__} params={sum(p.numel() for p in model.parameters())} "
          f"threads={torch.get_num_threads()}; {PROMPTS} prompts x {GROUP}, <={NEW} new tokens, share_prompts={SHARE}")

    def step():
        t0 = time.perf_counter()
        idx = torch.arange(cursor[0], cursor[0] + PROMPTS) % data.shape[0]
        cursor[0] += PROMPTS
        prompts = data[idx].repeat_interleave(GROUP, 0)
        resp, _, mask = rollout(model, prompts, gen)
        t1 = time.perf_counter()
        scores = (resp[:, 0] < 34).float()
        t2 = time.perf_counter()
        g = scores.view(-1, GROUP)
        adv = ((g - g.mean(1, keepdim=True)) / (g.std(1, keepdim=True) + 1e-4)).view(-1, 1) * mask
        t3 = time.perf_counter()
        seq = torch.cat([prompts, resp], 1)
        t = seq.shape[1]
        bias = torch.full((t, t), -1e9).triu(1)
        logits = model(seq, torch.arange(t)[None], bias, head=slice(PLEN - 1, -1))
        logp_all = logits.log_softmax(-1)
        logp = logp_all.gather(-1, resp[..., None]).squeeze(-1) * mask
        entropy = -(logp_all.exp() * logp_all).sum(-1) * mask
        ratio = (logp - logp.detach()).exp()
        obj = torch.minimum(ratio * adv, ratio.clamp(0.8, 1.2) * adv)
        loss = -(obj * mask).sum() / mask.sum()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        grad_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        t4 = time.perf_counter()
        # like rlx's step: a metrics line and a few decoded samples, appended and flushed
        lens = mask.sum(1)
        m = {"step": cursor[0] // PROMPTS, "time_ms_rollout": (t1 - t0) * 1000, "time_ms_reward": (t2 - t1) * 1000,
             "time_ms_credit": (t3 - t2) * 1000, "time_ms_update": (t4 - t3) * 1000,
             "entropy": (entropy.detach().sum() / mask.sum()).item(), "loss": loss.item(),
             "grad_norm": grad_norm.item(), "lr": 1e-5, "reward": scores.mean().item(),
             "reward/first_half": scores.mean().item(), "reward_errors": 0, "score_std": scores.std(unbiased=False).item(),
             "length_mean": lens.mean().item(), "length_max": lens.max().item(),
             "truncation_rate": (lens == NEW).float().mean().item(), "filtered_groups": 0, "rollouts": 1}
        for i in range(4):
            n = int(lens[i].item())
            text = "".join(chr(31 + c) for c in resp[i, :n].tolist())
            samples.write(json.dumps({"step": m["step"], "prompt": "".join(chr(31 + c) for c in prompts[i, 1:].tolist()),
                                      "completion": text, "score": scores[i].item(), "length": n}) + "\n")
        samples.flush()
        m["time_ms_total"] = (time.perf_counter() - t0) * 1000
        metrics.write(json.dumps(m) + "\n")
        metrics.flush()
        t5 = time.perf_counter()
        return [(t5 - t0) * 1000, (t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t2) * 1000, (t4 - t3) * 1000]

    with tempfile.TemporaryDirectory(prefix="torch-grpo-bench") as out, \
            open(os.path.join(out, "metrics.jsonl"), "w") as metrics, open(os.path.join(out, "samples.jsonl"), "w") as samples:
        for _ in range(warmup):
            step()
        rows = [step() for _ in range(runs)]
    col = lambda c: [r[c] for r in rows]
    tot = col(0)
    print(f"grpo_step median_ms={statistics.median(tot):.2f} min_ms={min(tot):.2f} max_ms={max(tot):.2f} runs={runs}")
    print("split median_ms rollout=%.2f reward=%.2f credit=%.2f update=%.2f" % tuple(
        statistics.median(col(c)) for c in (1, 2, 3, 4)))


if __name__ == "__main__":
    main()
