"""Builds examples/data/chat_tokenizer: a character-level Hugging Face tokenizer with ChatML special tokens and a
ChatML chat_template, small enough to commit (about 100 tokens), for examples/chat_math_grpo.rlx.

Every printable ASCII character and the newline is one token; <|endoftext|>, <|im_start|> and <|im_end|> are
special tokens (eos <|im_end|>, as a chat model stops at the end of its turn); anything else is [UNK].
Needs the `tokenizers` package (see shared/STACK.md). Run from the repository root:
    python3 examples/data/make_chat_tokenizer.py
"""
import json
import os

from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers

OUT = os.path.join(os.path.dirname(__file__), "chat_tokenizer")
SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
# the plain ChatML template (what Qwen's uses minus its default system prompt and tool branches)
CHATML = ("{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + "
          "'<|im_end|>' + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}")


def main():
    os.makedirs(OUT, exist_ok=True)
    chars = ["\n"] + [chr(c) for c in range(32, 127)]
    vocab = {t: i for i, t in enumerate(SPECIALS + ["[UNK]"] + chars)}
    tok = Tokenizer(models.WordLevel(vocab=vocab, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Split(Regex(r"[\s\S]"), behavior="isolated")
    tok.decoder = decoders.Fuse()
    tok.add_special_tokens(SPECIALS)
    tok.save(os.path.join(OUT, "tokenizer.json"))
    config = {"tokenizer_class": "PreTrainedTokenizerFast", "bos_token": None, "eos_token": "<|im_end|>",
              "pad_token": "<|endoftext|>", "unk_token": "[UNK]", "chat_template": CHATML}
    with open(os.path.join(OUT, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    text = "<|im_start|>user\nWhat is 1/2?<|im_end|>"
    ids = tok.encode(text).ids
    assert tok.decode(ids, skip_special_tokens=False) == text, tok.decode(ids, skip_special_tokens=False)
    print(f"{len(vocab)} tokens; {text!r} -> {len(ids)} ids")


if __name__ == "__main__":
    main()
