"""Loads the folders RlxSavedModelTest wrote (target/rlx-saved/<arch>) with transformers and compares logits.

    python engine/src/test/python/check_rlx_saved.py engine/target/rlx-saved
"""
import json
import os
import sys

import torch
from transformers import AutoModelForCausalLM

root = sys.argv[1] if len(sys.argv) > 1 else "engine/target/rlx-saved"
worst = 0.0
for name in sorted(os.listdir(root)):
    d = os.path.join(root, name)
    exp = json.load(open(os.path.join(d, "expected.json")))
    model = AutoModelForCausalLM.from_pretrained(d, attn_implementation="eager").eval()
    with torch.no_grad():
        got = model(torch.tensor(exp["ids"])).logits.flatten()
    diff = (got - torch.tensor(exp["logits"])).abs().max().item()
    worst = max(worst, diff)
    print(f"{name}: {type(model).__name__} max |logit diff| = {diff:.2e}")
print("OK" if worst < 1e-4 else "FAIL", f"(worst {worst:.2e}, tolerance 1e-4)")
sys.exit(0 if worst < 1e-4 else 1)
