"""Makes the tiny Hugging Face fixtures the Java tests load (run once; outputs are committed).

For each of gpt2, llama (grouped-query attention, untied head) and qwen2 (q/k/v bias, tied head): a random
model saved with save_pretrained (one of them sharded), and expected.json with input ids and the logits
transformers computes for them. Also a small BPE tokenizer.json with expected encodings.

    python engine/src/test/python/make_fixtures.py engine/src/test/resources/fixtures
"""
import json
import os
import sys

import torch
from transformers import (GPT2Config, GPT2LMHeadModel, LlamaConfig, LlamaForCausalLM, Qwen2Config,
                          Qwen2ForCausalLM)

OUT = sys.argv[1] if len(sys.argv) > 1 else "engine/src/test/resources/fixtures"
IDS = [[1, 5, 9, 33, 2, 60, 17, 4], [3, 3, 40, 41, 42, 7, 0, 63]]


def save(name, model, shard=None):
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    model.eval()
    kw = {"max_shard_size": shard} if shard else {}
    model.save_pretrained(d, safe_serialization=True, **kw)
    with torch.no_grad():
        logits = model(torch.tensor(IDS)).logits
    with open(os.path.join(d, "expected.json"), "w") as f:
        json.dump({"ids": IDS, "logits": [round(x, 7) for x in logits.flatten().tolist()],
                   "shape": list(logits.shape)}, f)
    for junk in ("generation_config.json",):
        p = os.path.join(d, junk)
        if os.path.exists(p):
            os.remove(p)


def main():
    torch.manual_seed(0)
    common = dict(vocab_size=64, initializer_range=0.3)
    gpt2 = GPT2LMHeadModel(GPT2Config(n_embd=16, n_layer=2, n_head=4, n_positions=32, n_inner=None,
                                      attn_implementation="eager", **common))
    save("gpt2", gpt2)
    llama = LlamaForCausalLM(LlamaConfig(hidden_size=16, num_hidden_layers=2, num_attention_heads=4,
                                         num_key_value_heads=2, intermediate_size=32,
                                         max_position_embeddings=32, rope_theta=500.0,
                                         tie_word_embeddings=False, attn_implementation="eager", **common))
    save("llama", llama)
    qwen = Qwen2ForCausalLM(Qwen2Config(hidden_size=16, num_hidden_layers=2, num_attention_heads=4,
                                        num_key_value_heads=4, intermediate_size=32,
                                        max_position_embeddings=32, rope_theta=10000.0,
                                        tie_word_embeddings=True, attn_implementation="eager", **common))
    # random biases: a zero bias would hide a q/k/v bias mix-up
    with torch.no_grad():
        for n, p in qwen.named_parameters():
            if n.endswith("bias"):
                p.normal_(0, 0.5)
    save("qwen2", qwen)
    save("llama_sharded", llama, shard="20KB")

    from tokenizers import Tokenizer, models, pre_tokenizers, decoders, trainers
    tok = Tokenizer(models.BPE(unk_token=None))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    text = ["the quick brown fox jumps over the lazy dog", "1 + 2 = 3", "hello world, hello rlx"] * 20
    tok.train_from_iterator(text, trainers.BpeTrainer(vocab_size=300, special_tokens=["<|endoftext|>"],
                                                      initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    d = os.path.join(OUT, "bpe")
    os.makedirs(d, exist_ok=True)
    tok.save(os.path.join(d, "tokenizer.json"))
    samples = ["hello world", "the lazy fox = 3", "unseen words zq"]
    with open(os.path.join(d, "expected.json"), "w") as f:
        json.dump({"texts": samples, "ids": [tok.encode(s).ids for s in samples]}, f)


if __name__ == "__main__":
    main()
