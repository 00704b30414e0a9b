"""PyTorch side of the GRPO step benchmark (mirror of dev.rlx.engine.bench.GrpoStepBench).

The model of torch_model_bench.py (GPT-2 shape, 4 layers, dim 128, 4 heads, vocab 64, context 32), eager,
THREADS threads (default 2). One step: 16 prompts (BOS + 8 tokens) x group 8 = 128 completions of up to 5 tokens with a KV
cache (temperature 1, torch.multinomial, stop at EOS id 2, sampled log-probs kept), a rule reward on the first
token, GRPO advantages (group mean/std), a forward with grad over prompt+completion (log-probs of the
completion and entropy), token-mean PPO-clip loss with old log-probs = the detached new ones (one epoch,
one minibatch), backward, clip_grad_norm_(1.0), AdamW.

    python bench/torch_grpo_step.py [warmup] [runs]
"""
import os
import statistics
import sys
import time

import torch

from torch_model_bench import GPT, LAYERS, VOCAB

PROMPTS, GROUP, NEW, PLEN, EOS, BOS = 16, 8, 5, 9, 2, 1


@torch.no_grad()
def rollout(model, prompts, gen):
    b = prompts.shape[0]
    caches = [[None, None] for _ in range(LAYERS)]
    bias = torch.full((PLEN, PLEN), -1e9).triu(1)
    logits = model(prompts, torch.arange(PLEN)[None], bias, caches)[:, -1]
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
    opt = torch.optim.AdamW(model.parameters(), lr=1e-5, weight_decay=0.0)
    data = torch.randint(4, VOCAB, (256, PLEN))
    data[:, 0] = BOS
    gen = torch.Generator().manual_seed(0)
    cursor = [0]
    print(f"model: torch {torch.__version__} params={sum(p.numel() for p in model.parameters())} "
          f"threads={torch.get_num_threads()}; {PROMPTS} prompts x {GROUP}, <={NEW} new tokens")

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
        logits = model(seq, torch.arange(t)[None], bias)[:, PLEN - 1:-1]
        logp_all = logits.log_softmax(-1)
        logp = logp_all.gather(-1, resp[..., None]).squeeze(-1) * mask
        entropy = -(logp_all.exp() * logp_all).sum(-1) * mask
        ratio = (logp - logp.detach()).exp()
        obj = torch.minimum(ratio * adv, ratio.clamp(0.8, 1.2) * adv)
        loss = -(obj * mask).sum() / mask.sum()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        _ = (loss.item(), (entropy.detach().sum() / mask.sum()).item())
        t4 = time.perf_counter()
        return [(t4 - t0) * 1000, (t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t2) * 1000, (t4 - t3) * 1000]

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
