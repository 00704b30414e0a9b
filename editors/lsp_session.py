#!/usr/bin/env python3
"""Drives `rlx lsp` over stdio as an editor would: initialize, open a broken file (its diagnostics), hover a
builtin and a stdlib member, complete after `credit.`, edit in a syntax error (its diagnostic), then shutdown and
exit. Prints what the server answered. Python 3 standard library only.

    python3 editors/lsp_session.py [FILE]      (default: a broken script written to a temp folder)
"""
import json
import os
import time
import subprocess
import sys
import tempfile
import threading
import queue

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

BROKEN = """import "std/credit" as credit
seed = 7
adv = credit.grpo(tensor([1, 0, 1, 0]), group: 2)
total = sum(lenght("abc"), 2)
bad = credit.grop(1)
"""


def send(proc, message):
    body = json.dumps(message).encode("utf-8")
    proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    proc.stdin.flush()


def reader(stream, out):
    """Splits the server's stdout into messages (LSP base protocol: headers, blank line, JSON body)."""
    while True:
        length = None
        while True:
            line = stream.readline()
            if not line:
                out.put(None)
                return
            line = line.strip()
            if not line:
                break
            name, _, value = line.decode("ascii").partition(":")
            if name.lower() == "content-length":
                length = int(value.strip())
        out.put(json.loads(stream.read(length).decode("utf-8")))


def main():
    if len(sys.argv) > 1:
        path = os.path.abspath(sys.argv[1])
        with open(path, encoding="utf-8") as f:
            text = f.read()
    else:
        folder = tempfile.mkdtemp(prefix="rlx-lsp-")
        path = os.path.join(folder, "broken.rlx")
        text = BROKEN
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    uri = "file://" + path
    proc = subprocess.Popen([os.path.join(ROOT, "rlx"), "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    messages = queue.Queue()
    threading.Thread(target=reader, args=(proc.stdout, messages), daemon=True).start()

    def wait_for(predicate, what):
        while True:
            m = messages.get(timeout=120)
            if m is None:
                sys.exit("server closed its output while waiting for " + what)
            if predicate(m):
                return m

    send(proc, {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                "params": {"processId": os.getpid(), "rootUri": None, "capabilities": {}}})
    init = wait_for(lambda m: m.get("id") == 1, "initialize")
    caps = init["result"]["capabilities"]
    print("initialize -> server %s %s; hover %s, completion triggers %s, definition %s, formatting %s" % (
        init["result"]["serverInfo"]["name"], init["result"]["serverInfo"]["version"], caps.get("hoverProvider"),
        caps.get("completionProvider", {}).get("triggerCharacters"), caps.get("definitionProvider"),
        caps.get("documentFormattingProvider")))
    send(proc, {"jsonrpc": "2.0", "method": "initialized", "params": {}})
    opened = time.monotonic()
    send(proc, {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": uri, "languageId": "rlx", "version": 1, "text": text}}})
    diags = wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics", "diagnostics")
    lines = text.split("\n")
    print("didOpen %s -> %d diagnostics (%.0f ms, the server's first check)" % (
        os.path.basename(path), len(diags["params"]["diagnostics"]), 1000 * (time.monotonic() - opened)))
    for d in diags["params"]["diagnostics"]:
        r = d["range"]
        start, end = r["start"], r["end"]
        print("  %d:%d-%d:%d (LSP, 0-based) = rlx check %s:%d:%d: %s" % (
            start["line"], start["character"], end["line"], end["character"], os.path.basename(path),
            start["line"] + 1, start["character"] + 1, d["message"].replace("\n", " | ")))
        if start["line"] < len(lines):
            print("      " + lines[start["line"]])
            print("      " + " " * start["character"] + "^" * max(1, end["character"] - start["character"]))

    # hover on builtins and stdlib members: the first line that calls each (in the default file: `tensor` and
    # `credit.grpo` in line 3)
    targets = []
    for word in ["tensor(", ".grpo(", "sft(", "gpt(", ".recipe("]:
        found = [(i, l.index(word)) for i, l in enumerate(lines) if word in l and not l.lstrip().startswith("//")]
        if found:
            targets.append((found[0][0], word.strip(".(")))
    for (line, word) in targets[:3]:
        col = lines[line].index(word) + 1
        send(proc, {"jsonrpc": "2.0", "id": 10 + col, "method": "textDocument/hover", "params": {
            "textDocument": {"uri": uri}, "position": {"line": line, "character": col}}})
        hover = wait_for(lambda m: m.get("id") == 10 + col, "hover")
        value = (hover.get("result") or {}).get("contents", {}).get("value")
        print("hover %s (%d:%d) ->" % (word, line, col))
        for l in (value or "(nothing)").split("\n")[:8]:
            print("  | " + l)

    if len(sys.argv) == 1:
        # completion after `credit.` (typed at the end of line 3), then an edit that breaks the syntax
        typed = lines[:]
        typed[2] = "adv = credit."
        send(proc, {"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": "\n".join(typed)}]}})
        send(proc, {"jsonrpc": "2.0", "id": 50, "method": "textDocument/completion", "params": {
            "textDocument": {"uri": uri}, "position": {"line": 2, "character": len(typed[2])}}})
        items = wait_for(lambda m: m.get("id") == 50, "completion")["result"]["items"]
        print("completion after 'credit.' -> %d members: %s, ..." % (
            len(items), ", ".join(i["label"] for i in items[:8])))
        broken = "seed = 7\nlr = (1e-4\nsteps = 10\n"
        edited = time.monotonic()
        send(proc, {"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
            "textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": broken}]}})
        diags = wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                         and m["params"].get("version") == 3, "diagnostics of the edit")
        for d in diags["params"]["diagnostics"]:
            start, end = d["range"]["start"], d["range"]["end"]
            print("didChange (a syntax error) -> %d:%d-%d:%d = rlx check %d:%d: %s (%.0f ms)" % (
                start["line"], start["character"], end["line"], end["character"], start["line"] + 1,
                start["character"] + 1, d["message"].replace("\n", " | "), 1000 * (time.monotonic() - edited)))

    send(proc, {"jsonrpc": "2.0", "id": 90, "method": "shutdown", "params": None})
    wait_for(lambda m: m.get("id") == 90, "shutdown")
    send(proc, {"jsonrpc": "2.0", "method": "exit", "params": None})
    print("shutdown, exit -> rlx lsp exited with", proc.wait(timeout=60))


if __name__ == "__main__":
    main()
