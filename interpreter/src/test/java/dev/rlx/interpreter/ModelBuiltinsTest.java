package dev.rlx.interpreter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlx.interpreter.api.RlxError;
import dev.rlx.interpreter.api.RlxSession;
import dev.rlx.interpreter.diag.SourceText;
import dev.rlx.interpreter.model.ModelValue;
import dev.rlx.interpreter.runtime.RlxList;
import dev.rlx.interpreter.runtime.RlxRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model and tokenizer builtins on tiny models (1-2 layers, dim 16): shapes, files, sampling, SFT, errors. */
class ModelBuiltinsTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private RlxSession session;

    @TempDir
    Path dir;

    @BeforeEach
    void open() {
        session = new RlxSession(out);
    }

    @AfterEach
    void close() {
        session.close();
    }

    /** A script saved as {@code dir/name}, so its file paths resolve inside {@code dir}. */
    private RlxSession.Script script(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return session.load(new SourceText(name, text, file.toString()), Map.of());
    }

    private Object value(String text, String name) throws IOException {
        return session.value(script("test.rlx", text), name);
    }

    private static final String TOK = "tok = char_tokenizer(\"0123456789+=\")\n";

    @Test
    void buildersMakeModelsOfTheConfiguredShape() throws IOException {
        RlxSession.Script s = script("test.rlx", TOK + """
                g = gpt(tokenizer: tok, layers: 2, dim: 16, heads: 2, context: 12)
                l = llama(tokenizer: tok, layers: 1, dim: 32, heads: 4, kv_heads: 2, context: 8, rope_theta: 500.0)
                q = qwen2(vocab: 40, layers: 1, dim: 16, heads: 2)
                shape = [g.layers, g.dim, g.heads, g.vocab, g.context, l.kv_heads, l.config.rope_theta, q.vocab]
                lg = logits(g, [1, 4, 5])
                dims = lg.shape
                biases = [g.config.qkv_bias, l.config.qkv_bias, q.config.qkv_bias, l.config.tie_embeddings]
                """);
        assertEquals("[2, 16, 2, 16, 12, 2, 500.0, 40]", RlxSession.display(session.value(s, "shape")));
        assertEquals("[3, 16]", RlxSession.display(session.value(s, "dims")));
        assertEquals("[true, false, true, false]", RlxSession.display(session.value(s, "biases")));
        ModelValue g = (ModelValue) session.value(s, "g");
        assertTrue(RlxSession.display(g).matches("<model gpt2 2x16 vocab 16, [0-9.]+K params>"), RlxSession.display(g));
        assertEquals("model", RlxSession.typeName(g));
        assertEquals("llama", ((ModelValue) session.value(s, "l")).model().config().arch());
        assertEquals("qwen2", ((ModelValue) session.value(s, "q")).model().config().arch());
    }

    @Test
    void displaysParameterCountsTheWayPeopleQuoteThem() {
        assertEquals("<model gpt2 4x128 vocab 64, 0.8M params>", RlxSession.display(session.eval(
                "gpt(vocab: 64, context: 32)")));
    }

    @Test
    void saveThenLoadGivesIdenticalLogitsAndTheTokenizer() throws IOException {
        RlxSession.Script s = script("exp/test.rlx", TOK + """
                m = llama(tokenizer: tok, layers: 1, dim: 16, heads: 2, kv_heads: 1, context: 16, seed: 3)
                path = save_model(m, "models/m")
                back = load_model("models/m")
                same = to_list(logits(m, [1, 5, 6, 7])) == to_list(logits(back, [1, 5, 6, 7]))
                text = decode(back, encode(back, "12+3="))
                again = save_model(back, "models/m")
                """);
        session.evaluateAll(s);
        assertEquals(true, session.value(s, "same"));
        assertEquals("12+3=", session.value(s, "text"));
        assertEquals("models/m", session.value(s, "again"));
        Path saved = dir.resolve("exp/models/m");
        for (String f : List.of("config.json", "model.safetensors", "tokenizer.json")) {
            assertTrue(Files.isRegularFile(saved.resolve(f)), f);
        }
        try (Stream<Path> files = Files.list(dir.resolve("exp/models"))) {
            assertEquals(List.of("m"), files.map(p -> p.getFileName().toString()).toList(), "no temp folders left");
        }
    }

    @Test
    void saveRefusesToReplaceSomethingThatIsNotAModelFolder() throws IOException {
        Files.writeString(dir.resolve("notes.txt"), "keep me");
        RlxError e = assertThrows(RlxError.class, () -> value(TOK + """
                m = gpt(tokenizer: tok, layers: 1, dim: 16, heads: 2, context: 8)
                x = save_model(m, "notes.txt")
                """, "x"));
        assertTrue(e.getMessage().contains("notes.txt exists and is not a model folder"), e.getMessage());
        assertTrue(e.getMessage().startsWith("test.rlx:3:5: save_model:"), e.getMessage());
        assertEquals("keep me", Files.readString(dir.resolve("notes.txt")));
    }

    @Test
    void greedyGenerationIsDeterministicAndBatchesMatchSinglePrompts() throws IOException {
        RlxSession.Script s = script("test.rlx", TOK + """
                m = gpt(tokenizer: tok, layers: 1, dim: 16, heads: 2, context: 16, seed: 5)
                a = generate(m, "1+2=", max_tokens: 6)
                b = generate(m, "1+2=", max_tokens: 6)
                batch = generate(m, ["1+2=", "33+4="], max_tokens: 6)
                single = generate(m, "33+4=", max_tokens: 6)
                ids = generate(m, encode(tok, "1+2=", bos: true), max_tokens: 6)
                s1 = generate(m, "1+2=", max_tokens: 6, greedy: false, temperature: 0.8, top_k: 5, seed: 9)
                s2 = generate(m, "1+2=", max_tokens: 6, greedy: false, temperature: 0.8, top_k: 5, seed: 9)
                """);
        RlxRecord a = (RlxRecord) session.value(s, "a");
        assertEquals(List.of("text", "tokens", "logprobs", "finish"), a.shape().keys());
        assertEquals(RlxSession.display(a), RlxSession.display(session.value(s, "b")));
        assertEquals(RlxSession.display(a.get("tokens")),
                RlxSession.display(((RlxRecord) session.value(s, "ids")).get("tokens")));
        RlxList batch = (RlxList) session.value(s, "batch");
        assertEquals(RlxSession.display(((RlxRecord) batch.get(1)).get("tokens")),
                RlxSession.display(((RlxRecord) session.value(s, "single")).get("tokens")));
        assertEquals(RlxSession.display(session.value(s, "s1")), RlxSession.display(session.value(s, "s2")));
        RlxList tokens = (RlxList) a.get("tokens");
        assertEquals(tokens.size(), ((RlxList) a.get("logprobs")).size());
        assertTrue(List.of("stop", "length").contains(a.get("finish")));
    }

    @Test
    void stopStringsCutTheText() throws IOException {
        RlxSession.Script s = script("test.rlx", TOK + """
                m = gpt(tokenizer: tok, layers: 1, dim: 16, heads: 2, context: 16, seed: 5)
                free = generate(m, "1+2=", max_tokens: 6)
                """);
        String text = (String) ((RlxRecord) session.value(s, "free")).get("text");
        if (text.length() >= 2) {
            String stop = text.substring(1, 2);
            RlxRecord cut = (RlxRecord) session.value(script("t2.rlx", TOK + """
                    m = gpt(tokenizer: tok, layers: 1, dim: 16, heads: 2, context: 16, seed: 5)
                    g = generate(m, "1+2=", max_tokens: 6, stop: ["%s"])
                    """.formatted(stop)), "g");
            assertEquals("stop", cut.get("finish"));
            assertEquals(text.substring(0, text.indexOf(stop)), cut.get("text"));
        }
    }

    @Test
    void sftLearnsACopyTaskAndLeavesTheInputModelAlone() throws IOException {
        RlxSession.Script s = script("test.rlx", """
                tok = char_tokenizer("abcd>")
                m = gpt(tokenizer: tok, layers: 1, dim: 32, heads: 2, context: 16, seed: 1)
                data = [{prompt: "ab>", response: "ab"}, {prompt: "cd>", response: "cd"},
                        {prompt: "ca>", response: "ca"}, {prompt: "db>", answer: "db"}]
                tuned = sft(m, data: data, steps: 80, lr: 1e-2, batch: 4, warmup: 5, schedule: "constant")
                outs = map(["ab>", "cd>", "ca>", "db>"], (p) => generate(tuned, p, max_tokens: 4).text)
                before = logits(m, [1, 4, 5])
                """);
        RlxList losses = (RlxList) ((ModelValue) session.value(s, "tuned")).member("losses");
        assertEquals(80, losses.size());
        double first = (Double) losses.get(0);
        double last = (Double) losses.get(79);
        assertTrue(last < first / 4, first + " -> " + last);
        assertEquals("[\"ab\", \"cd\", \"ca\", \"db\"]", RlxSession.display(session.value(s, "outs")));
        Object again = session.value(script("t2.rlx", """
                tok = char_tokenizer("abcd>")
                m = gpt(tokenizer: tok, layers: 1, dim: 32, heads: 2, context: 16, seed: 1)
                x = logits(m, [1, 4, 5])
                """), "x");
        assertEquals(RlxSession.display(again), RlxSession.display(session.value(s, "before")), "input unchanged");
    }

    @Test
    void encodeDecodeRoundTripsAndTokenizersLoadFromFiles() throws IOException {
        RlxSession.Script s = script("test.rlx", """
                c = char_tokenizer("abc ")
                w = word_tokenizer(["hello", "world", "rl"])
                ids = encode(c, "ab ca")
                text = decode(c, ids)
                words = decode(w, encode(w, "hello  rl world"))
                unk = encode(w, "hello there")
                m = gpt(tokenizer: w, layers: 1, dim: 16, heads: 2, context: 8)
                saved = save_model(m, "wm")
                back = load_tokenizer("wm")
                same = encode(back, "rl hello") == encode(w, "rl hello")
                info = [w.vocab_size, w.bos, w.eos, w.pad, w.kind, back.kind]
                """);
        session.evaluateAll(s);
        assertEquals("[4, 5, 7, 6, 4]", RlxSession.display(session.value(s, "ids")));
        assertEquals("ab ca", session.value(s, "text"));
        assertEquals("hello rl world", session.value(s, "words"));
        assertEquals("[4, 3]", RlxSession.display(session.value(s, "unk")));
        assertEquals(true, session.value(s, "same"));
        assertEquals("[7, 1, 2, 0, \"word\", \"word\"]", RlxSession.display(session.value(s, "info")));
        assertEquals("<tokenizer char, vocab 8>", RlxSession.display(session.value(s, "c")));
    }

    @Test
    void pathsStayInsideTheScriptFolder() throws IOException {
        Files.createDirectories(dir.resolve("inner"));
        RlxError outside = assertThrows(RlxError.class, () -> session.value(script("inner/test.rlx",
                "m = load_model(\"../elsewhere\")"), "m"));
        assertTrue(outside.getMessage().contains("'../elsewhere' is outside the script's folder"), outside.getMessage());
        assertTrue(outside.getMessage().startsWith("inner/test.rlx:1:5: load_model:"), outside.getMessage());
        RlxError absolute = assertThrows(RlxError.class, () -> value("t = load_tokenizer(\"/etc/tokenizer.json\")", "t"));
        assertTrue(absolute.getMessage().contains("absolute paths are not allowed"), absolute.getMessage());
        RlxError eval = assertThrows(RlxError.class, () -> session.eval("load_model(\"m\")"));
        assertTrue(eval.getMessage().contains("file access needs a script file"), eval.getMessage());
        RlxError missing = assertThrows(RlxError.class, () -> value("m = load_model(\"nothing\")", "m"));
        assertTrue(missing.getMessage().contains("nothing: no such model folder"), missing.getMessage());
    }

    @Test
    void aLibraryFunctionReadsRelativeToItsOwnFile() throws IOException {
        script("lib/models.rlx", "save(m) = save_model(m, \"saved\")\n");
        RlxSession.Script s = script("main.rlx", """
                import "lib/models" as lib
                m = gpt(vocab: 8, layers: 1, dim: 16, heads: 2, context: 8)
                p = lib.save(m)
                """);
        session.value(s, "p");
        assertTrue(Files.isRegularFile(dir.resolve("lib/saved/config.json")));
        assertFalse(Files.exists(dir.resolve("saved")));
    }

    @Test
    void badArgumentsGiveLocatedErrors() {
        Map<String, String> cases = Map.of(
                "gpt(vocab: 8, layers: \"two\")", "gpt: layers must be an int, not a string",
                "gpt(layers: 1)", "gpt: vocab must be an int when no tokenizer is given, not none",
                "llama(vocab: 8, dim: 16, heads: 4, kv_heads: 3)", "llama: heads 4 is not a multiple of kv_heads 3",
                "logits(gpt(vocab: 8, layers: 1, dim: 16, heads: 2, context: 4), [1, 2, 3, 4, 5])",
                "logits: tokens has 5 tokens, more than the model's context of 4",
                "generate(gpt(vocab: 8, layers: 1, dim: 16, heads: 2, context: 8), [1, 2], max_tokens: 7)",
                "generate: prompt (2) + max_tokens (7) exceeds the model's context of 8",
                "generate(gpt(vocab: 8, layers: 1, dim: 16, heads: 2), [1], stop: [1.5])",
                "generate: stop[0] is 1.5, not a stop string (non-empty) or token id",
                "sft(gpt(vocab: 8, layers: 1, dim: 16, heads: 2), data: [{prompt: [1], response: [2]}], schedule: \"linear\")",
                "sft: schedule must be \"cosine\" or \"constant\", not \"linear\"",
                "decode(char_tokenizer(\"ab\"), [1, -2])", "decode: tokens[1] is -2, not a token id (an int >= 0)",
                "gpt(vocab: 8, device: \"tpu\")", "gpt: unknown device 'tpu': expected cpu, gpu, gpu:N or auto");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            RlxError e = assertThrows(RlxError.class, () -> session.eval(c.getKey()), c.getKey());
            assertEquals("<eval>:1:1: " + c.getValue(), e.getMessage(), c.getKey());
        }
        assertNotEquals(null, session.eval("gpt(vocab: 8, layers: 1, dim: 16, heads: 2)"));
    }
}
