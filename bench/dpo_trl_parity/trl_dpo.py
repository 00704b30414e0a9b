"""TRL side of the DPO parity bench (run.sh runs it and explains the setup in its header; RESULTS.md has figures).

Trains work/model (the GPT-2 rlx saved) on work/pairs.jsonl with trl.DPOTrainer: full-batch steps (every
pair in every step), sigmoid loss, beta, AdamW (torch) with constant lr, no warmup, weight decay 0, grad
clip 1.0, fp32 on CPU, no dropout. Writes one JSON line per step to --out with TRL's logged metrics, and
prints the token ids TRL trains on for the first pairs (run.sh compares them with rlx's).

The tokenizer is rlx's tokenizer.json (a WordLevel char tokenizer without a post-processor). rlx encodes a
pair as prompt = BOS + tokens(prompt), completion = tokens(completion) + EOS; TRL tokenizes the prompt with
the tokenizer's special tokens and appends the EOS *string* to each completion. Giving the tokenizer a
"<bos> $A" post-processor (and bos/eos/pad tokens) makes TRL produce exactly rlx's ids.
"""

import argparse
import json
import math
import os
import sys

import numpy as np

import torch
from datasets import Dataset
from tokenizers.processors import TemplateProcessing
from transformers import GPT2LMHeadModel, PreTrainedTokenizerFast, TrainerCallback
from trl import DPOConfig, DPOTrainer


class RlxAdamW(torch.optim.Optimizer):
    """AdamW as rlx applies it (engine/.../train/AdamW.java -> DJL's native adamUpdate, float32 arguments):
    w -= lr*wd*w;  m = b1*m + (1-b1)*g;  v = b2*v + (1-b2)*g^2;
    w -= (lr*sqrt(1-b2^t)/(1-b1^t)) * m / (sqrt(v) + eps)
    i.e. the bias correction folded into the step size, so eps is added to sqrt(v) rather than to
    sqrt(v / (1-b2^t)) as torch.optim.AdamW does: in torch's terms rlx's eps is eps / sqrt(1-b2^t)
    (31.6x larger at step 1). Used with --adam rlx to tell that difference apart from rounding.
    torch_eps=True passes eps*sqrt(1-b2^t) instead (--adam rlx_torch_eps): algebraically torch's update, the
    fix rlx's AdamW.step would need to match torch.optim.AdamW."""

    def __init__(self, params, lr, betas, eps, weight_decay=0.0, torch_eps=False):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay))
        self.torch_eps = torch_eps

    @torch.no_grad()
    def step(self, closure=None):
        for g in self.param_groups:
            f = np.float32
            b1, b2, eps, wd = f(g["betas"][0]), f(g["betas"][1]), f(g["eps"]), f(g["weight_decay"])
            for p in g["params"]:
                if p.grad is None:
                    continue
                st = self.state[p]
                if not st:
                    st["step"] = 0
                    st["m"] = torch.zeros_like(p)
                    st["v"] = torch.zeros_like(p)
                st["step"] += 1
                t = st["step"]
                lr = g["lr"]
                # as in AdamW.java: computed in double, passed as float
                bc = float(f(lr * math.sqrt(1 - g["betas"][1] ** t) / (1 - g["betas"][0] ** t)))
                e = float(f(g["eps"] * math.sqrt(1 - g["betas"][1] ** t))) if self.torch_eps else float(eps)
                if wd != 0:
                    p.sub_(p.mul(float(f(lr))).mul(float(wd)))
                st["m"].mul_(float(b1)).add_(p.grad, alpha=float(f(1) - b1))
                st["v"].mul_(float(b2)).addcmul_(p.grad, p.grad, value=float(f(1) - b2))
                p.sub_(st["m"].mul(bc).div(st["v"].sqrt().add(e)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--beta", type=float, default=0.1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--adam", choices=["torch", "rlx", "rlx_torch_eps"], default="torch",
                    help="torch: TRL's own optimizer (torch.optim.AdamW); rlx: RlxAdamW, rlx's update formula")
    ap.add_argument("--attn", default="sdpa", help="attention implementation of transformers (sdpa, eager)")
    ap.add_argument("--show", type=int, default=3, help="pairs whose ids are printed")
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(0)

    tok = PreTrainedTokenizerFast(tokenizer_file=os.path.join(a.model, "tokenizer.json"),
                                  bos_token="<bos>", eos_token="<eos>", pad_token="<pad>", unk_token="<unk>")
    tok.backend_tokenizer.post_processor = TemplateProcessing(
        single="<bos> $A", pair="<bos> $A $B", special_tokens=[("<bos>", tok.bos_token_id)])

    model = GPT2LMHeadModel.from_pretrained(a.model, dtype=torch.float32, attn_implementation=a.attn)
    # the frozen reference: the same folder, loaded the same way (TRL would load it from the path itself)
    ref_model = GPT2LMHeadModel.from_pretrained(a.model, dtype=torch.float32, attn_implementation=a.attn)
    assert model.config.tie_word_embeddings and model.lm_head.weight is model.transformer.wte.weight
    rows = [json.loads(line) for line in open(a.data) if line.strip()]
    data = Dataset.from_list(rows)

    cfg = DPOConfig(
        output_dir=os.path.join(os.path.dirname(a.out), "trl_out"),
        per_device_train_batch_size=len(rows),  # full batch: every step sees every pair
        gradient_accumulation_steps=1,
        max_steps=a.steps,
        learning_rate=a.lr,
        lr_scheduler_type="constant",
        warmup_steps=0,
        optim="adamw_torch",
        adam_beta1=0.9, adam_beta2=0.999, adam_epsilon=1e-8,
        weight_decay=0.0,
        max_grad_norm=1.0,
        beta=a.beta,
        loss_type=["sigmoid"],
        max_length=None,
        disable_dropout=True,
        bf16=False, fp16=False,
        use_cpu=True,
        seed=0,
        logging_steps=1,
        save_strategy="no",
        report_to="none",
        dataloader_num_workers=0,
        dataset_num_proc=None,
        disable_tqdm=True,
    )

    class Collect(TrainerCallback):
        def __init__(self):
            self.lines = []

        def on_log(self, args, state, control, logs=None, **kw):
            if logs and "loss" in logs:
                self.lines.append({"step": state.global_step, **logs})

    collect = Collect()
    optimizers = (None, None)
    if a.adam != "torch":
        optimizers = (RlxAdamW(model.parameters(), lr=a.lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0,
                               torch_eps=a.adam == "rlx_torch_eps"), None)
    trainer = DPOTrainer(model=model, ref_model=ref_model, args=cfg, train_dataset=data, processing_class=tok, callbacks=[collect],
                         optimizers=optimizers)

    # the ids TRL trains on (after its own tokenization: prompt with special tokens, completion + EOS string)
    ds = trainer.train_dataset
    for i in range(min(a.show, len(ds))):
        print("TRLIDS", i, json.dumps({"prompt": ds[i]["prompt_ids"], "chosen": ds[i]["chosen_ids"],
                                       "rejected": ds[i]["rejected_ids"]}))
    with open(os.path.join(os.path.dirname(a.out), "trl_ids.jsonl"), "w") as f:
        for i in range(len(ds)):
            f.write(json.dumps({"prompt": ds[i]["prompt_ids"], "chosen": ds[i]["chosen_ids"],
                                "rejected": ds[i]["rejected_ids"]}) + "\n")

    trainer.train()
    with open(a.out, "w") as f:
        for line in collect.lines:
            f.write(json.dumps(line) + "\n")
    print(f"TRL: {len(collect.lines)} steps logged to {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
