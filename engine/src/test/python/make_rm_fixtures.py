"""Makes the reward-model fixtures the Java tests read (run by hand; the outputs are committed).

Two directions, both checked by engine/src/test/java/dev/rlx/engine/weights/HfRewardModelsTest.java:

  made   tiny random GPT2/Llama/Qwen2 ForSequenceClassification models (num_labels 1, pad_token_id 0) saved by
         transformers into fixtures/rm_<arch>, with expected.json: token ids, the scores transformers gives a
         right-padded batch of them (attention mask, last non-pad token), and the score at every position of
         each sequence alone (base model -> score head), for rlx's prefix scores.

  check  the folders HfRewardModelsTest wrote with rlx's save (engine/target/rlx-saved-rm/<arch>, models built
         from fixed seeds) are loaded by AutoModelForSequenceClassification and scored; config.json,
         model.safetensors and the scores go to fixtures/rm_from_rlx/<arch>. The test then checks that rlx still
         writes byte-identical weights and an equal config, and that rlx's scores match transformers' numbers.

    python engine/src/test/python/make_rm_fixtures.py made  engine/src/test/resources/fixtures
    (cd engine && ../test.sh -q -o -pl engine -Dtest=HfRewardModelsTest)   # writes target/rlx-saved-rm
    python engine/src/test/python/make_rm_fixtures.py check engine/target/rlx-saved-rm engine/src/test/resources/fixtures

Needs torch and transformers (see shared/STACK.md, "Python on this machine"); the Java tests never run Python.
"""
import json
import os
import shutil
import sys

try:
    import torch
    from transformers import (AutoModelForSequenceClassification, GPT2Config, GPT2ForSequenceClassification,
                              LlamaConfig, LlamaForSequenceClassification, Qwen2Config,
                              Qwen2ForSequenceClassification)
except ImportError:
    print("skipped: needs torch and transformers (pip install from the local wheels, see shared/STACK.md)")
    sys.exit(0)

PAD = 0
# no sequence contains the pad id, so transformers' "last token that is not padding" is the last real token
SEQS = [[1, 5, 9, 33, 2, 60, 17, 4], [3, 40, 41, 42, 7], [1, 63], [1, 12, 13, 14, 15, 16, 2]]


def padded(seqs):
    width = max(len(s) for s in seqs)
    ids = torch.tensor([s + [PAD] * (width - len(s)) for s in seqs])
    mask = torch.tensor([[1] * len(s) + [0] * (width - len(s)) for s in seqs])
    return ids, mask


def score(model, seqs):
    """Batch scores as transformers' sequence classifier computes them, and every prefix's score per sequence."""
    ids, mask = padded(seqs)
    with torch.no_grad():
        batch = model(input_ids=ids, attention_mask=mask).logits[:, 0]
        prefixes = []
        for s in seqs:
            hidden = model.base_model(input_ids=torch.tensor([s])).last_hidden_state
            prefixes.append([round(x, 7) for x in model.score(hidden)[0, :, 0].tolist()])
    return [round(x, 7) for x in batch.tolist()], prefixes


def made(out):
    torch.manual_seed(0)
    common = dict(vocab_size=64, initializer_range=0.3, num_labels=1, pad_token_id=PAD, bos_token_id=1,
                  eos_token_id=2)
    models = {
        "gpt2": GPT2ForSequenceClassification(GPT2Config(n_embd=16, n_layer=2, n_head=4, n_positions=32,
                                                         attn_implementation="eager", **common)),
        "llama": LlamaForSequenceClassification(LlamaConfig(hidden_size=16, num_hidden_layers=2, num_attention_heads=4,
                                                            num_key_value_heads=2, intermediate_size=32,
                                                            max_position_embeddings=32, rope_theta=500.0,
                                                            tie_word_embeddings=False, attn_implementation="eager",
                                                            **common)),
        "qwen2": Qwen2ForSequenceClassification(Qwen2Config(hidden_size=16, num_hidden_layers=2, num_attention_heads=4,
                                                            num_key_value_heads=4, intermediate_size=32,
                                                            max_position_embeddings=32, rope_theta=10000.0,
                                                            tie_word_embeddings=True, attn_implementation="eager",
                                                            **common)),
    }
    for name, model in models.items():
        with torch.no_grad():
            for n, p in model.named_parameters():
                # random biases and norm weights: zeros and ones would hide a mix-up of them
                if p.dim() == 1:
                    p.add_(torch.randn_like(p) * 0.3)
        model.eval()
        d = os.path.join(out, "rm_" + name)
        os.makedirs(d, exist_ok=True)
        model.save_pretrained(d, safe_serialization=True)
        batch, prefixes = score(model, SEQS)
        with open(os.path.join(d, "expected.json"), "w") as f:
            json.dump({"ids": SEQS, "scores": batch, "prefix_scores": prefixes, "class": type(model).__name__}, f)
        gen = os.path.join(d, "generation_config.json")
        if os.path.exists(gen):
            os.remove(gen)
        print(f"rm_{name}: {type(model).__name__} scores {batch}")


def check(saved, out):
    for name in sorted(os.listdir(saved)):
        src = os.path.join(saved, name)
        model = AutoModelForSequenceClassification.from_pretrained(src, attn_implementation="eager").eval()
        batch, prefixes = score(model, SEQS)
        d = os.path.join(out, "rm_from_rlx", name)
        os.makedirs(d, exist_ok=True)
        for f in ("config.json", "model.safetensors"):
            shutil.copyfile(os.path.join(src, f), os.path.join(d, f))
        with open(os.path.join(d, "expected.json"), "w") as f:
            json.dump({"ids": SEQS, "scores": batch, "prefix_scores": prefixes, "class": type(model).__name__,
                       "scored_by": "transformers " + __import__("transformers").__version__}, f)
        print(f"rm_from_rlx/{name}: {type(model).__name__} scores {batch}")


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "made":
        made(sys.argv[2])
    elif len(sys.argv) >= 4 and sys.argv[1] == "check":
        check(sys.argv[2], sys.argv[3])
    else:
        print(__doc__)
        sys.exit(2)
