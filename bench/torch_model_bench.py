"""PyTorch side of the model benchmark (mirror of dev.rlx.engine.bench.ModelBench).

GPT-2 shaped model (4 layers, dim 128, 4 heads, vocab 64, context 32), eager PyTorch, 2 threads:
(1) train step: batch 64 x 32, forward, next-token cross-entropy, backward, clip_grad_norm_(1.0), AdamW;
(2) sampling: 64 prompts of 8 tokens, 24 new tokens with a KV cache (torch.cat per step), temperature 1,
    torch.multinomial, log-prob of each sampled token kept.

    python bench/torch_model_bench.py [warmup] [runs]
"""
import math
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

LAYERS, DIM, HEADS, VOCAB, CONTEXT, BATCH, SEQ, PROMPT, NEW = 4, 128, 4, 64, 32, 64, 32, 8, 24


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1 = nn.LayerNorm(DIM)
        self.c_attn = nn.Linear(DIM, 3 * DIM)
        self.c_proj = nn.Linear(DIM, DIM)
        self.ln_2 = nn.LayerNorm(DIM)
        self.c_fc = nn.Linear(DIM, 4 * DIM)
        self.mlp_proj = nn.Linear(4 * DIM, DIM)

    def forward(self, x, bias, cache=None):
        b, t, _ = x.shape
        hd = DIM // HEADS
        qkv = self.c_attn(self.ln_1(x)).view(b, t, 3 * HEADS, hd).transpose(1, 2)
        q, k, v = qkv.split(HEADS, dim=1)
        if cache is not None:
            if cache[0] is not None:
                k = torch.cat([cache[0], k], 2)
                v = torch.cat([cache[1], v], 2)
            cache[0], cache[1] = k, v
        att = ((q * (1.0 / math.sqrt(hd))) @ k.transpose(-2, -1) + bias).softmax(-1)
        y = (att @ v).transpose(1, 2).reshape(b, t, DIM)
        x = x + self.c_proj(y)
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x))))


class GPT(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte = nn.Embedding(VOCAB, DIM)
        self.wpe = nn.Embedding(CONTEXT, DIM)
        self.h = nn.ModuleList(Block() for _ in range(LAYERS))
        self.ln_f = nn.LayerNorm(DIM)

    def forward(self, idx, pos, bias, caches=None, head=slice(None)):
        # head: the positions that need logits (rlx runs the output projection on those only)
        x = self.wte(idx) + self.wpe(pos)
        for i, blk in enumerate(self.h):
            x = blk(x, bias, None if caches is None else caches[i])
        return F.linear(self.ln_f(x)[:, head], self.wte.weight)


def timeit(fn, warmup, runs):
    for _ in range(warmup):
        fn()
    ms = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        ms.append((time.perf_counter() - t0) * 1000)
    return ms


def report(name, ms, tokens):
    med = statistics.median(ms)
    print(f"{name} median_ms={med:.2f} min_ms={min(ms):.2f} max_ms={max(ms):.2f} "
          f"tokens_per_s={tokens / (med / 1000):.0f} runs={len(ms)}")


def main():
    warmup = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    torch.set_num_threads(2)
    torch.manual_seed(0)
    model = GPT()
    print(f"model: torch {torch.__version__} params={sum(p.numel() for p in model.parameters())} "
          f"threads={torch.get_num_threads()}")
    data = torch.randint(0, VOCAB, (BATCH, SEQ + 1))
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
    causal = torch.full((SEQ, SEQ), -1e9).triu(1)
    pos = torch.arange(SEQ)[None]

    def train_step():
        x, y = data[:, :-1], data[:, 1:]
        logits = model(x, pos, causal)
        loss = F.cross_entropy(logits.reshape(-1, VOCAB), y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()

    report("train_step", timeit(train_step, warmup, runs), BATCH * SEQ)

    prompts = torch.randint(0, VOCAB, (BATCH, PROMPT))
    gen = torch.Generator().manual_seed(0)

    @torch.no_grad()
    def sample():
        caches = [[None, None] for _ in range(LAYERS)]
        bias = torch.full((PROMPT, PROMPT), -1e9).triu(1)
        logits = model(prompts, torch.arange(PROMPT)[None], bias, caches, head=slice(-1, None))[:, -1]
        out, lps = [], []
        for step in range(NEW):
            logp = logits.log_softmax(-1)
            nxt = torch.multinomial(logp.exp(), 1, generator=gen)
            lps.append(logp.gather(-1, nxt))
            out.append(nxt)
            if step == NEW - 1:
                break
            p = torch.full((1, 1), PROMPT + step)
            logits = model(nxt, p, torch.zeros(1), caches)[:, -1]
        return torch.cat(out, 1), torch.cat(lps, 1)

    report("sample_kv", timeit(sample, warmup, runs), BATCH * NEW)


if __name__ == "__main__":
    main()
