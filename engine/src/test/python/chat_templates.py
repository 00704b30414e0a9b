"""Chat-template fixtures for ChatTemplateTest: what transformers renders, committed as expected strings.

Writes engine/src/test/resources/chat/<name>/{tokenizer.json, tokenizer_config.json} for three public chat
templates (Qwen2.5-Instruct's ChatML with its default system prompt and tool branches, Meta Llama 3 Instruct's
with bos and header tokens, a plain ChatML one), loads each folder with transformers (PreTrainedTokenizerFast,
as AutoTokenizer would: the template and the bos/eos tokens come from tokenizer_config.json) and renders a set
of conversations with apply_chat_template(tokenize=False) into expected.json.

Needs transformers, tokenizers and jinja2 (see shared/STACK.md for the local wheel copy); the test suite never
runs Python. Run from the repository root:  python3 engine/src/test/python/chat_templates.py
"""
import json
import os
import sys

try:
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast
    import transformers
except ImportError as e:  # pragma: no cover
    print(f"skipped: {e} (pip install transformers tokenizers jinja2)")
    sys.exit(0)

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "chat")

# The templates are the public tokenizer_config.json chat_template strings (data, reproduced as fixtures).
QWEN25 = """{%- if tools %}
    {{- '<|im_start|>system\\n' }}
    {%- if messages[0]['role'] == 'system' %}
        {{- messages[0]['content'] }}
    {%- else %}
        {{- 'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.' }}
    {%- endif %}
    {{- "\\n\\n# Tools\\n\\nYou may call one or more functions to assist with the user query.\\n\\nYou are provided with function signatures within <tools></tools> XML tags:\\n<tools>" }}
    {%- for tool in tools %}
        {{- "\\n" }}
        {{- tool | tojson }}
    {%- endfor %}
    {{- "\\n</tools>\\n\\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\\n<tool_call>\\n{\\"name\\": <function-name>, \\"arguments\\": <args-json-object>}\\n</tool_call><|im_end|>\\n" }}
{%- else %}
    {%- if messages[0]['role'] == 'system' %}
        {{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}
    {%- else %}
        {{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n' }}
    {%- endif %}
{%- endif %}
{%- for message in messages %}
    {%- if (message.role == "user") or (message.role == "system" and not loop.first) or (message.role == "assistant" and not message.tool_calls) %}
        {{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}
    {%- elif message.role == "assistant" %}
        {{- '<|im_start|>' + message.role }}
        {%- if message.content %}
            {{- '\\n' + message.content }}
        {%- endif %}
        {%- for tool_call in message.tool_calls %}
            {%- if tool_call.function is defined %}
                {%- set tool_call = tool_call.function %}
            {%- endif %}
            {{- '\\n<tool_call>\\n{"name": "' }}
            {{- tool_call.name }}
            {{- '", "arguments": ' }}
            {{- tool_call.arguments | tojson }}
            {{- '}\\n</tool_call>' }}
        {%- endfor %}
        {{- '<|im_end|>\\n' }}
    {%- elif message.role == "tool" %}
        {%- if (loop.index0 == 0) or (messages[loop.index0 - 1].role != "tool") %}
            {{- '<|im_start|>user' }}
        {%- endif %}
        {{- '\\n<tool_response>\\n' }}
        {{- message.content }}
        {{- '\\n</tool_response>' }}
        {%- if loop.last or (messages[loop.index0 + 1].role != "tool") %}
            {{- '<|im_end|>\\n' }}
        {%- endif %}
    {%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|im_start|>assistant\\n' }}
{%- endif %}
"""

LLAMA3 = ("{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = "
          "'<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + "
          "'<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}"
          "{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}"
          "{% endif %}")

# A plain ChatML template, written with block tags on their own lines so trim_blocks/lstrip_blocks matter.
CHATML = """{% for message in messages %}
    {% if loop.first and message['role'] != 'system' %}
<|im_start|>system
You are a helpful assistant.<|im_end|>
    {% endif %}
<|im_start|>{{ message['role'] }}
{{ message['content'] }}<|im_end|>
{% endfor %}
{% if add_generation_prompt %}
<|im_start|>assistant
{% endif %}
"""

SPECIALS = {
    "qwen25": dict(bos_token=None, eos_token="<|im_end|>", pad_token="<|endoftext|>",
                   tokens=["<|endoftext|>", "<|im_start|>", "<|im_end|>"]),
    "llama3": dict(bos_token="<|begin_of_text|>", eos_token="<|eot_id|>", pad_token=None,
                   tokens=["<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>",
                           "<|eot_id|>"]),
    "chatml": dict(bos_token=None, eos_token="<|im_end|>", pad_token=None,
                   tokens=["<|endoftext|>", "<|im_start|>", "<|im_end|>"]),
}
TEMPLATES = {"qwen25": QWEN25, "llama3": LLAMA3, "chatml": CHATML}

TOOLS = [{"type": "function", "function": {
    "name": "get_weather", "description": "Weather in a city, in \"C\" or \"F\".",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"},
                                                    "unit": {"type": "string", "enum": ["C", "F"]}},
                   "required": ["city"]}}}]

CONVERSATIONS = {
    "system_user": [{"role": "system", "content": "You are terse."},
                    {"role": "user", "content": "What is 2+2?"}],
    "user_only": [{"role": "user", "content": "Hello!"}],
    "multi_turn": [{"role": "system", "content": "You solve math problems."},
                   {"role": "user", "content": "What is 1/2 + 1/4?"},
                   {"role": "assistant", "content": "It is \\boxed{\\frac{3}{4}}."},
                   {"role": "user", "content": "And 1,000 + 24?"}],
    "untrimmed_unicode": [{"role": "user", "content": "  héllo ∑ “quotes”\n\n"},
                          {"role": "assistant", "content": "\tbonjour  "}],
}
# Qwen2.5 only: its tool branches (tool list in the system turn, tool calls, consecutive tool responses)
TOOL_CONVERSATIONS = {
    "tools_call": [{"role": "user", "content": "Weather in Paris and Oslo?"},
                   {"role": "assistant", "content": "", "tool_calls": [
                       {"type": "function", "function": {"name": "get_weather", "arguments": {"city": "Paris"}}},
                       {"type": "function", "function": {"name": "get_weather",
                                                         "arguments": {"city": "Oslo", "unit": "C", "days": 1.5}}}]},
                   {"role": "tool", "content": "{\"temp\": 21}"},
                   {"role": "tool", "content": "{\"temp\": 12}"},
                   {"role": "assistant", "content": "Paris 21, Oslo 12."}],
    "tools_system": [{"role": "system", "content": "Use tools."},
                     {"role": "user", "content": "Weather?"}],
}


def write_folder(name):
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    s = SPECIALS[name]
    vocab = {t: i for i, t in enumerate(s["tokens"] + ["[UNK]", "hello", "world"])}
    tok = Tokenizer(models.WordLevel(vocab=vocab, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tok.add_special_tokens(s["tokens"])
    tok.save(os.path.join(d, "tokenizer.json"))
    cfg = {"tokenizer_class": "PreTrainedTokenizerFast", "bos_token": s["bos_token"], "eos_token": s["eos_token"],
           "pad_token": s["pad_token"], "unk_token": "[UNK]", "chat_template": TEMPLATES[name]}
    with open(os.path.join(d, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump(cfg, f, indent=2, ensure_ascii=False)
        f.write("\n")
    return d


def main():
    expected = []
    for name in TEMPLATES:
        tokenizer = PreTrainedTokenizerFast.from_pretrained(write_folder(name))
        convs = dict(CONVERSATIONS)
        if name == "qwen25":
            convs.update(TOOL_CONVERSATIONS)
        for conv_name, messages in convs.items():
            tools = TOOLS if conv_name.startswith("tools") else None
            for agp in (True, False):
                text = tokenizer.apply_chat_template(messages, tools=tools, tokenize=False, add_generation_prompt=agp)
                expected.append({"template": name, "conversation": conv_name, "add_generation_prompt": agp,
                                 "messages": messages, "tools": tools, "text": text})
    with open(os.path.join(OUT, "expected.json"), "w", encoding="utf-8") as f:
        json.dump({"transformers": transformers.__version__, "cases": expected}, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"{len(expected)} cases, transformers {transformers.__version__}")


if __name__ == "__main__":
    main()
