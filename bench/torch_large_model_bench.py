"""PyTorch side of `rlx bench model --shape qwen2.5-0.5b` (dev.rlx.engine.bench.LargeModelBench).

Qwen2.5-0.5B's shape (24 layers, dim 896, 14 heads, 2 KV heads, MLP 4864, vocab 151,936, tied embeddings, rope
theta 1e6) from transformers' Qwen2ForCausalLM, random init, fp32, eager attention, 2 threads:
(1) sampling: 4 prompts of 8 tokens, 16 new tokens with transformers' KV cache (model.generate, do_sample,
    temperature 1, no EOS stop);
(2) a policy-gradient update of the GRPO step's size: forward of 4 x 24 tokens with gradients, token log-probs,
    a PPO-style loss on the 16 completion tokens, backward, clip_grad_norm_(1.0), AdamW (fp32 moments).
Prints medians with min/max and the peak resident memory (ru_maxrss). Needs torch and transformers:
    python bench/torch_large_model_bench.py [warmup] [runs]
"""
import resource
import statistics
import sys
import time

import torch

try:
    from transformers import Qwen2Config, Qwen2ForCausalLM
except ImportError:
    print("transformers is not installed: skipping")
    sys.exit(0)

PROMPTS, NEW, PROMPT_LEN = 4, 16, 8


def peak_gib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1024 * 1024)


def timed(warmup, runs, fn):
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def report(name, ms):
    print(f"{name} median_ms={statistics.median(ms):.0f} min_ms={min(ms):.0f} max_ms={max(ms):.0f} runs={len(ms)}")


def main():
    warmup = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    torch.set_num_threads(2)
    torch.manual_seed(0)
    cfg = Qwen2Config(vocab_size=151936, hidden_size=896, num_hidden_layers=24, num_attention_heads=14,
                      num_key_value_heads=2, intermediate_size=4864, tie_word_embeddings=True, rope_theta=1e6,
                      max_position_embeddings=128, attn_implementation="eager")
    t = time.perf_counter()
    model = Qwen2ForCausalLM(cfg)
    print(f"model: qwen2.5-0.5b shape params={sum(p.numel() for p in model.parameters()):,} threads=2")
    print(f"init: {time.perf_counter() - t:.1f} s; peak resident memory {peak_gib():.2f} GiB")
    prompts = torch.randint(3, 63, (PROMPTS, PROMPT_LEN))
    model.eval()

    def sample():
        with torch.no_grad():
            return model.generate(prompts, attention_mask=torch.ones_like(prompts), do_sample=True, temperature=1.0,
                                  top_k=0, top_p=1.0, max_new_tokens=NEW, min_new_tokens=NEW, pad_token_id=0)

    ms = timed(warmup, runs, sample)
    report("sample_kv (4 x 16 tokens)", ms)
    print(f"  ms per decoding step (4 sequences): {statistics.median(ms) / NEW:.1f}")
    print(f"  peak resident memory after sampling: {peak_gib():.2f} GiB")

    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-6, weight_decay=0.0)
    seqs = sample()
    adv = torch.randn(PROMPTS, 1)

    def update():
        logits = model(seqs).logits[:, PROMPT_LEN - 1:-1].float()
        logp = torch.log_softmax(logits, -1).gather(-1, seqs[:, PROMPT_LEN:, None]).squeeze(-1)
        ratio = torch.exp(logp - logp.detach())
        loss = -torch.minimum(ratio * adv, ratio.clamp(0.8, 1.2) * adv).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()

    ms = timed(warmup, runs, update)
    report("update (4 x 24 tokens: forward, backward, clip, AdamW)", ms)
    print(f"  peak resident memory after updates: {peak_gib():.2f} GiB")


if __name__ == "__main__":
    main()
