"""Train the exported rlx experiment with TRL's GRPOTrainer (written by `rlx export --to trl`; see README.md).

    python train.py                                   # one process
    accelerate launch --config_file accelerate/multi_gpu.yaml train.py
    python train.py --set trl.max_steps=4 --out out   # override any config.yaml setting

What rlx fixes and TRL would otherwise choose differently, and why:
- batch: one RL step samples rlx.completions_per_step completions (train.batch prompts x group) and takes
  trl.steps_per_generation optimizer steps on them per epoch; per_device_train_batch_size is derived here from the
  number of processes and rlx.gradient_accumulation_steps so that this holds for any launch.
- learning rate: rlx's schedule (linear warmup from lr/warmup, then constant, linear or cosine to
  min_lr_ratio * lr at train.steps) counted in RL steps, not TRL's per-optimizer-step scheduler.
- prompts: BOS + the prompt's tokens, as rlx encodes them (the tokenizer's own post-processor is replaced).
- rewards: every term is scored by `rlx serve-rewards`; eval accuracy is the share of greedy completions of the
  eval prompts whose metric is >= 0.5, every rlx.eval_every RL steps, as `rlx run` reports it.
Writes OUT/metrics.jsonl (one line per RL step and per eval) and OUT/final (the trained policy).
"""

import argparse
import json
import math
import os
import sys
import time

import torch
import yaml
from accelerate import PartialState
from datasets import load_dataset
from tokenizers.processors import TemplateProcessing
from torch.optim.lr_scheduler import LambdaLR
from transformers import AutoModelForCausalLM, PreTrainedTokenizerFast, TrainerCallback
from trl import GRPOConfig, GRPOTrainer

from rlx_rewards import RewardServer, reward_functions, samples_of

HERE = os.path.dirname(os.path.abspath(__file__))


def load_config(path, sets):
    cfg = yaml.safe_load(open(path, encoding="utf-8"))
    for s in sets:
        key, _, value = s.partition("=")
        section, _, name = key.partition(".")
        if section not in cfg or not name:
            sys.exit(f"train.py: --set {s}: expected trl.KEY=VALUE or rlx.KEY=VALUE")
        cfg[section][name] = yaml.safe_load(value)
    return cfg


def tokenizer(rlx):
    tok = PreTrainedTokenizerFast(tokenizer_file=os.path.join(HERE, "model", "tokenizer.json"))
    for role in ("bos", "eos", "pad"):
        i = rlx[f"{role}_id"]
        if i >= 0:
            setattr(tok, f"{role}_token", tok.convert_ids_to_tokens(i))
    if rlx["bos_id"] >= 0:
        tok._tokenizer.post_processor = TemplateProcessing(single=f"{tok.bos_token} $A",
                                                           special_tokens=[(tok.bos_token, rlx["bos_id"])])
    else:
        tok._tokenizer.post_processor = TemplateProcessing(single="$A", special_tokens=[])
    return tok


def rlx_lr_factor(rlx, rl_step):
    """rlx's LrSchedule at the 0-based RL step, as a factor of the peak lr."""
    warmup, total, lo = rlx["warmup"], rlx["steps"], rlx["min_lr_ratio"]
    if rl_step < warmup:
        return (rl_step + 1) / warmup
    progress = min(1.0, (rl_step - warmup) / max(1, total - warmup))
    if rlx["lr_schedule"] == "cosine":
        return lo + 0.5 * (1 - lo) * (1 + math.cos(math.pi * progress))
    if rlx["lr_schedule"] == "linear":
        return 1 - progress * (1 - lo)
    return 1.0


class RlxGRPOTrainer(GRPOTrainer):
    def __init__(self, *args, rlx=None, opt_steps_per_rl_step=1, **kwargs):
        self.rlx = rlx
        self.opt_steps_per_rl_step = opt_steps_per_rl_step
        super().__init__(*args, **kwargs)

    def create_scheduler(self, num_training_steps, optimizer=None):
        if self.lr_scheduler is None:
            k = self.opt_steps_per_rl_step
            self.lr_scheduler = LambdaLR(optimizer or self.optimizer, lambda s: rlx_lr_factor(self.rlx, s // k))
        return self.lr_scheduler


class Metrics(TrainerCallback):
    """RL-step metrics (TRL's logs, averaged over the step's optimizer steps) and greedy eval accuracy."""

    def __init__(self, out, rlx, server, tok, eval_rows, k):
        self.out, self.rlx, self.server, self.tok, self.eval_rows, self.k = out, rlx, server, tok, eval_rows, k
        self.pending = []
        self.trainer = None
        self.start = time.time()

    def write(self, record):
        if PartialState().is_main_process:
            with open(os.path.join(self.out, "metrics.jsonl"), "a", encoding="utf-8") as f:
                f.write(json.dumps(record) + "\n")

    def on_log(self, args, state, control, logs=None, **kw):
        # TRL logs the rollout's metrics (reward, rewards/<term>/mean, ...) on the optimizer step that generated,
        # the loss on every step: an RL step's line averages each key over the lines that have it
        if logs and ("reward" in logs or "loss" in logs):
            self.pending.append(logs)
        if self.pending and state.global_step % self.k == 0:
            rec = {"step": state.global_step // self.k, "time_s": round(time.time() - self.start, 2)}
            for key in dict.fromkeys(k for p in self.pending for k in p):
                xs = [p[key] for p in self.pending if isinstance(p.get(key), (int, float))]
                if xs:
                    rec[key] = sum(xs) / len(xs)
            self.write(rec)
            self.pending = []

    def evaluate(self, model, rl_step):
        if not self.eval_rows or not PartialState().is_main_process:
            return
        model = self.trainer.accelerator.unwrap_model(model)
        was_training = model.training
        model.eval()
        rows = self.eval_rows
        limit = self.rlx.get("eval_limit") or 0
        if limit:
            rows = rows[:limit]
        correct = 0
        self.tok.padding_side = "left"
        for i in range(0, len(rows), 64):
            chunk = rows[i:i + 64]
            enc = self.tok([r["prompt"] for r in chunk], return_tensors="pt", padding=True).to(model.device)
            with torch.no_grad():
                gen = model.generate(**enc, max_new_tokens=self.trainer.args.max_completion_length,
                                     do_sample=not self.rlx.get("eval_greedy", True), pad_token_id=self.tok.pad_token_id,
                                     eos_token_id=self.tok.eos_token_id)
            ids = []
            for row in gen[:, enc["input_ids"].shape[1]:].tolist():
                cut = row.index(self.rlx["eos_id"]) + 1 if self.rlx["eos_id"] in row else len(row)
                ids.append(row[:cut])
            texts = self.tok.batch_decode(ids, skip_special_tokens=True)
            samples = samples_of([r["prompt"] for r in chunk], texts, ids, [r["rlx_row"] for r in chunk],
                                 self.rlx["eos_id"])
            scores = self.server.score(samples, metric=True)["terms"][self.rlx["metric"]]
            correct += sum(1 for s in scores if s >= 0.5)
        acc = correct / len(rows)
        self.write({"step": rl_step, "eval_accuracy": acc})
        print(f"rlx eval: step {rl_step} accuracy {acc:.3f} ({len(rows)} prompts)", flush=True)
        if was_training:
            model.train()

    def on_train_begin(self, args, state, control, model=None, **kw):
        self.evaluate(model, 0)

    def on_step_end(self, args, state, control, model=None, **kw):
        every = self.rlx.get("eval_every") or 0
        if state.global_step % self.k == 0 and every:
            rl_step = state.global_step // self.k
            if rl_step % every == 0 or state.global_step >= state.max_steps:
                self.evaluate(model, rl_step)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--config", default=os.path.join(HERE, "config.yaml"))
    ap.add_argument("--out", default=os.path.join(HERE, "out"))
    ap.add_argument("--set", action="append", default=[], help="trl.KEY=VALUE or rlx.KEY=VALUE (YAML value)")
    a = ap.parse_args()
    cfg = load_config(a.config, a.set)
    trl, rlx = dict(cfg["trl"]), cfg["rlx"]
    # cpu must be decided here: this first PartialState fixes the process group (gloo on CPU) for the Trainer too
    state = PartialState(cpu=not torch.cuda.is_available())
    accum = int(rlx.get("gradient_accumulation_steps", 1))
    per_gen = int(trl.pop("steps_per_generation"))  # optimizer steps per generation batch (and epoch)
    minibatch = rlx["completions_per_step"] // per_gen
    if minibatch % (state.num_processes * accum):
        sys.exit(f"train.py: {minibatch} completions per optimizer step do not split over {state.num_processes} "
                 f"processes x {accum} accumulation steps")
    per_device = minibatch // (state.num_processes * accum)
    if state.is_main_process:
        print(f"train.py: {state.num_processes} process(es) ({state.distributed_type}), {rlx['completions_per_step']} "
              f"completions per RL step, per device {per_device} x {accum} accumulation x {per_gen} optimizer "
              f"step(s) per generation", flush=True)
    os.makedirs(a.out, exist_ok=True)
    args = GRPOConfig(output_dir=a.out, per_device_train_batch_size=per_device, gradient_accumulation_steps=accum,
                      steps_per_generation=per_gen * accum, use_cpu=not torch.cuda.is_available(), **trl)
    torch.manual_seed(args.seed)
    tok = tokenizer(rlx)
    model = AutoModelForCausalLM.from_pretrained(os.path.join(HERE, "model"), dtype=torch.float32)
    data = load_dataset("json", data_files=os.path.join(HERE, "data", "train.jsonl"), split="train")
    eval_path = os.path.join(HERE, "data", "eval.jsonl")
    eval_rows = [json.loads(l) for l in open(eval_path, encoding="utf-8")] if os.path.exists(eval_path) else []
    server = RewardServer(rlx["serve_rewards"])
    k = per_gen * int(trl.get("num_iterations", 1))  # optimizer steps per RL step
    metrics = Metrics(a.out, rlx, server, tok, eval_rows if rlx.get("metric") else [], k)
    trainer = RlxGRPOTrainer(model=model, reward_funcs=reward_functions(server), args=args, train_dataset=data,
                             processing_class=tok, callbacks=[metrics], rlx=rlx, opt_steps_per_rl_step=k)
    metrics.trainer = trainer
    try:
        trainer.train()
        if state.is_main_process:
            trainer.save_model(os.path.join(a.out, "final"))
    finally:
        server.close()


if __name__ == "__main__":
    main()
