"""Reference GRPO loop in plain PyTorch for the arith_grpo example, starting from an rlx-saved policy.

Used to tell a bug in rlx's RL loop from a recipe problem: give it the policy of an rlx run's checkpoint (or
any GPT-2 folder rlx saved) and it trains with the same task, rewards and hyperparameters as
examples/arith_grpo.rlx, printing greedy test accuracy every `--every` steps.

    python bench/torch_arith_grpo.py POLICY_DIR [--steps 150] [--lr 2e-5] [--group 8] [--batch 16]

Task: "a+b=" with a, b in [0, 100), character tokens (the vocabulary of std/tasks' arith_tokenizer), BOS
before the prompt, EOS ends a completion. Rewards: correct + 0.5 * digits (share of answer digits right,
counted from the right). Rollout: temperature 1, up to 6 new tokens. Loss: token-mean PPO-clip, one epoch,
AdamW (weight decay 0.01 on matrices) with global grad-norm clip 1.0. Test: 200 problems, seed 2, greedy.
"""
import argparse
import random

import torch
from transformers import GPT2LMHeadModel

VOCAB = ["<pad>", "<bos>", "<eos>", "<unk>"] + list("0123456789+-*/=(),>")
ID = {t: i for i, t in enumerate(VOCAB)}
PAD, BOS, EOS = 0, 1, 2


def encode(s):
    return [BOS] + [ID[c] for c in s]


def decode(ids):
    out = []
    for i in ids:
        if i == EOS:
            break
        out.append(VOCAB[i] if i > 3 else "")
    return "".join(out)


def batch_inputs(seqs):
    """Left-padded ids, attention mask and HF-style position ids (0 at the first real token)."""
    n = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), n), PAD)
    mask = torch.zeros((len(seqs), n), dtype=torch.long)
    for r, s in enumerate(seqs):
        ids[r, n - len(s):] = torch.tensor(s)
        mask[r, n - len(s):] = 1
    pos = (mask.cumsum(1) - 1).clamp(min=0)
    return ids, mask, pos


@torch.no_grad()
def generate(model, prompts, max_new, greedy, gen, temperature=1.0):
    seqs = [list(p) for p in prompts]
    done = [False] * len(seqs)
    out = [[] for _ in seqs]
    for _ in range(max_new):
        ids, mask, pos = batch_inputs(seqs)
        logits = model(input_ids=ids, attention_mask=mask, position_ids=pos).logits[:, -1]
        nxt = logits.argmax(-1) if greedy else torch.multinomial((logits / temperature).softmax(-1), 1, generator=gen)[:, 0]
        for r, t in enumerate(nxt.tolist()):
            if done[r]:
                continue
            out[r].append(t)
            seqs[r].append(t)
            done[r] = t == EOS
        if all(done):
            break
    return out


def token_logps(model, prompts, responses, temperature=1.0):
    """Log-probs [B,T] of the response tokens (right-padded, mask [B,T]) given left-padded prompts."""
    lp = max(len(p) for p in prompts)
    t = max(len(r) for r in responses)
    seqs, rmask = [], torch.zeros(len(prompts), t)
    resp = torch.full((len(prompts), t), PAD)
    ids = torch.full((len(prompts), lp + t), PAD)
    amask = torch.zeros((len(prompts), lp + t), dtype=torch.long)
    for i, (p, r) in enumerate(zip(prompts, responses)):
        ids[i, lp - len(p):lp] = torch.tensor(p)
        amask[i, lp - len(p):lp] = 1
        ids[i, lp:lp + len(r)] = torch.tensor(r)
        amask[i, lp:lp + len(r)] = 1
        resp[i, :len(r)] = torch.tensor(r)
        rmask[i, :len(r)] = 1
    pos = (amask.cumsum(1) - 1).clamp(min=0)
    logits = model(input_ids=ids, attention_mask=amask, position_ids=pos).logits[:, lp - 1:lp - 1 + t]
    logp = (logits / temperature).log_softmax(-1).gather(-1, resp[..., None]).squeeze(-1)
    return logp * rmask, rmask


def digits_reward(completion, answer):
    want, got = str(answer)[::-1], completion.strip()[::-1]
    hits = sum(1 for i in range(len(want)) if i < len(got) and got[i] == want[i])
    return hits / max(len(want), len(got))


def correct(completion, answer):
    try:
        return 1.0 if int(completion) == answer else 0.0
    except ValueError:
        return 0.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("policy")
    ap.add_argument("--steps", type=int, default=150)
    ap.add_argument("--lr", type=float, default=2e-5)
    ap.add_argument("--group", type=int, default=8)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--every", type=int, default=10)
    ap.add_argument("--digits-weight", type=float, default=0.5)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--temperature", type=float, default=1.0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--warmup", type=int, default=0)
    ap.add_argument("--scale", choices=["group", "none"], default="group")
    ap.add_argument("--positive-only", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    model = GPT2LMHeadModel.from_pretrained(a.policy).float()
    decay = [p for p in model.parameters() if p.dim() >= 2]
    rest = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": rest, "weight_decay": 0.0}], lr=a.lr)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / a.warmup) if a.warmup > 0 else 1.0)
    rng = random.Random(2)
    test = [(x, y) for x, y in ((rng.randrange(100), rng.randrange(100)) for _ in range(200))]
    train_rng = random.Random(a.seed)
    gen = torch.Generator().manual_seed(a.seed)

    def evaluate():
        prompts = [encode(f"{x}+{y}=") for x, y in test]
        outs = generate(model.eval(), prompts, 6, True, gen)
        return sum(correct(decode(o), x + y) for o, (x, y) in zip(outs, test)) / len(test)

    print(f"step 0 eval {evaluate():.3f}", flush=True)
    for step in range(1, a.steps + 1):
        probs = [(train_rng.randrange(100), train_rng.randrange(100)) for _ in range(a.batch)]
        prompts = [encode(f"{x}+{y}=") for x, y in probs for _ in range(a.group)]
        answers = [x + y for x, y in probs for _ in range(a.group)]
        outs = generate(model.eval(), prompts, 6, False, gen, a.temperature)
        texts = [decode(o) for o in outs]
        scores = torch.tensor([correct(t, ans) + a.digits_weight * digits_reward(t, ans)
                               for t, ans in zip(texts, answers)])
        g = scores.view(-1, a.group)
        adv = g - g.mean(1, keepdim=True)
        if a.scale == "group":
            adv = adv / (g.std(1, keepdim=True) + 1e-4)
        adv = adv.view(-1, 1)
        if a.positive_only:
            adv = adv.clamp(min=0)
        model.train()
        logp, mask = token_logps(model, prompts, outs, a.temperature)
        ratio = (logp - logp.detach()).exp()
        obj = torch.minimum(ratio * adv, ratio.clamp(0.8, 1.2) * adv)
        loss = -(obj * mask).sum() / mask.sum()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        gn = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        acc = sum(correct(t, ans) for t, ans in zip(texts, answers)) / len(texts)
        line = f"step {step} reward {scores.mean():.3f} acc {acc:.3f} gn {gn:.2f}"
        if step % a.every == 0:
            line += f" eval {evaluate():.3f}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
