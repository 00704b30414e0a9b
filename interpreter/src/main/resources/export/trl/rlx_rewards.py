"""The experiment's rewards, served by rlx: one `rlx serve-rewards` process per training process.

Written by `rlx export --to trl`. The rewards stay the .rlx functions (sandboxed, timed out, with the
experiment's on_reward_error); this module only ships samples to rlx as JSON lines and reads back each
term's scores. A failing reward raises RlxRewardError with rlx's message, which names the .rlx location.
"""

import json
import subprocess
import sys


class RlxRewardError(RuntimeError):
    """A reward failed in rlx (the message is rlx's, with the file:line:col of the reward)."""


class RewardServer:
    """A long-lived `rlx serve-rewards` process; requests and answers are one JSON line each."""

    def __init__(self, command):
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=sys.stderr,
                                     text=True, encoding="utf-8", bufsize=1)
        line = self.proc.stdout.readline()
        if not line:
            raise RlxRewardError("rlx serve-rewards exited before it was ready: " + " ".join(command))
        self.header = json.loads(line)
        self.terms = self.header["terms"]
        self.eos_id = self.header["eos_id"]

    def score(self, samples, metric=False):
        self.proc.stdin.write(json.dumps({"samples": samples, "metric": metric}) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RlxRewardError("rlx serve-rewards ended unexpectedly")
        answer = json.loads(line)
        if "error" in answer:
            raise RlxRewardError(answer["error"])
        return answer

    def close(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait(timeout=30)


def samples_of(prompts, completions, completion_ids, rows, eos_id):
    """The samples as rlx's rewards see them: finish is "stop" when the completion ends with EOS."""
    out = []
    for p, c, ids, row in zip(prompts, completions, completion_ids, rows, strict=True):
        ids = [int(i) for i in ids]
        out.append({"prompt": p, "completion": c, "tokens": ids, "row": row,
                    "finish": "stop" if ids and ids[-1] == eos_id else "length"})
    return out


def reward_functions(server, log_errors=None):
    """One TRL reward function per rlx term, named after it. TRL calls them one after the other on the same
    batch: the first call scores every term in one request, the others read the cached answer."""
    cache = {"key": None, "answer": None}

    def answer_for(prompts, completions, completion_ids, rlx_row):
        key = (id(completions), len(completions), completions[0] if completions else None)
        if cache["key"] != key:
            cache["answer"] = server.score(samples_of(prompts, completions, completion_ids, rlx_row, server.eos_id))
            cache["key"] = key
            if log_errors is not None:
                log_errors(sum(cache["answer"]["errors"]))
        return cache["answer"]

    funcs = []
    for name in server.terms:
        def term(prompts, completions, completion_ids, rlx_row=None, _name=name, **kwargs):
            return answer_for(prompts, completions, completion_ids, rlx_row)["terms"][_name]
        term.__name__ = name
        funcs.append(term)
    return funcs
