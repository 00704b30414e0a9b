package dev.rlx.interpreter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rlx.interpreter.api.RlxError;
import dev.rlx.interpreter.api.RlxSession;
import dev.rlx.interpreter.diag.SourceText;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chat templates from scripts: a tokenizer folder's template through apply_chat_template, chat rows from JSONL
 * and tasks.chat, and the errors (a template that raises, a message that is not a record). Expected strings
 * are ChatML written out by hand.
 */
class ChatTemplatesTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private RlxSession session;

    @BeforeEach
    void open() {
        session = new RlxSession(out);
    }

    @AfterEach
    void close() {
        session.close();
    }

    private static final String CHATML = "{% for message in messages %}{% if message['role'] == 'tool' %}"
            + "{{ raise_exception('no tools here') }}{% endif %}{{ '<|im_start|>' + message['role'] + '\\\\n' + "
            + "message['content'] + '<|im_end|>' + '\\\\n' }}{% endfor %}{% if add_generation_prompt %}"
            + "{{ '<|im_start|>assistant\\\\n' }}{% endif %}";

    /** The example's committed tokenizer.json with a ChatML template that raises on tool messages. */
    private RlxSession.Script script(Path dir, String text) throws Exception {
        Path tok = dir.resolve("tok");
        Files.createDirectories(tok);
        Files.copy(Path.of("../examples/data/chat_tokenizer/tokenizer.json"), tok.resolve("tokenizer.json"));
        Files.writeString(tok.resolve("tokenizer_config.json"), "{\"eos_token\": \"<|im_end|>\", \"chat_template\": \""
                + CHATML + "\"}");
        Files.writeString(dir.resolve("qa.jsonl"), """
                {"q": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "1+1?"}], "a": 2}
                {"q": "2+2?", "a": 4}
                """);
        Files.writeString(dir.resolve("bad.jsonl"), """
                {"q": [{"role": "user", "content": 7}], "a": 2}
                """);
        String full = "import \"std/tasks\" as tasks\n" + text;
        Path file = dir.resolve("chat.rlx");
        Files.writeString(file, full);
        return session.load(new SourceText("chat.rlx", full, file.toString()), Map.of());
    }

    @Test
    void rendersConversationsWithTheFoldersTemplate(@TempDir Path dir) throws Exception {
        RlxSession.Script s = script(dir, """
                tok = load_tokenizer("tok")
                open = apply_chat_template(tok, [{role: "system", content: "S"}, {role: "user", content: "hi"}])
                closed = apply_chat_template(tok, [{role: "user", content: "hi"}], add_generation_prompt: false)
                has = tok.chat_template != none
                d = tasks.jsonl("qa.jsonl", prompt: "q", answer: "a")
                first = d[0]
                c = tasks.chat(d, system: "Sys")
                second = c[1].messages
                raised = apply_chat_template(tok, [{role: "tool", content: "x"}])
                bad = tasks.jsonl("bad.jsonl", prompt: "q", answer: "a")
                """);
        assertEquals("<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n",
                session.value(s, "open"));
        assertEquals("<|im_start|>user\nhi<|im_end|>\n", session.value(s, "closed"));
        assertEquals(true, session.value(s, "has"));
        assertEquals("{prompt: \"1+1?\", answer: 2, messages: [{role: \"system\", content: \"Be brief.\"}, "
                + "{role: \"user\", content: \"1+1?\"}]}", RlxSession.display(session.value(s, "first")));
        assertEquals("[{role: \"system\", content: \"Sys\"}, {role: \"user\", content: \"2+2?\"}]",
                RlxSession.display(session.value(s, "second")));
        RlxError e = assertThrows(RlxError.class, () -> session.value(s, "raised"));
        assertTrue(e.getMessage().contains("chat.rlx:10:")
                && e.getMessage().contains("raised: no tools here"), e.getMessage());
        e = assertThrows(RlxError.class, () -> session.value(s, "bad"));
        assertTrue(e.getMessage().contains("bad.jsonl:1: field \"q\" (the prompt, message 1): \"content\" must be a "
                + "string, not a number"), e.getMessage());
    }

    @Test
    void generateRendersConversationsAndRunsRefuseChatRowsWithoutATemplate(@TempDir Path dir) throws Exception {
        RlxSession.Script s = script(dir, """
                import "std/recipes/grpo" as grpo
                tok = load_tokenizer("tok")
                p = gpt(tokenizer: tok, layers: 1, dim: 16, heads: 2, context: 64, seed: 1)
                conv = [{role: "user", content: "hi"}]
                a = generate(p, conv, max_tokens: 4).tokens
                b = generate(p, "hi", max_tokens: 4, chat: true).tokens
                c = generate(p, apply_chat_template(tok, conv), max_tokens: 4).tokens
                plain = gpt(tokenizer: char_tokenizer("0123456789+?="), layers: 1, dim: 16, heads: 2, context: 64)
                d = tasks.chat(tasks.jsonl("qa.jsonl", prompt: "q", answer: "a"))
                reward r(x) = 0.0
                experiment exp = grpo.recipe(policy: plain, data: d, rewards: r, steps: 1, batch: 1, group: 2)
                """);
        assertEquals(RlxSession.display(session.value(s, "c")), RlxSession.display(session.value(s, "a")),
                "a conversation prompt is its rendered text");
        assertEquals(RlxSession.display(session.value(s, "c")), RlxSession.display(session.value(s, "b")),
                "chat: true makes a string one user message");
        RlxError e = assertThrows(RlxError.class, () -> dev.rlx.interpreter.experiment.ExperimentRunner.plan(
                session, s, "exp", dir.resolve("run")));
        assertTrue(e.getMessage().contains("holds chat rows") && e.getMessage().contains("no chat template"),
                e.getMessage());
    }

    @Test
    void sftTrainsOnAConversationPromptAsOnItsRenderedText(@TempDir Path dir) throws Exception {
        RlxSession.Script s = script(dir, """
                tok = load_tokenizer("tok")
                p = gpt(tokenizer: tok, layers: 1, dim: 16, heads: 2, context: 64, seed: 1)
                conv = [{role: "system", content: "Be brief."}, {role: "user", content: "1+1?"}]
                chat_losses = sft(p, data: [{prompt: conv, response: "2"}], steps: 3, batch: 1).losses
                text_losses = sft(p, data: [{prompt: apply_chat_template(tok, conv), response: "2"}], steps: 3,
                                  batch: 1).losses
                raw_losses = sft(p, data: [{prompt: "1+1?", response: "2"}], steps: 3, batch: 1).losses
                bad = sft(p, data: [{prompt: [{role: "user", content: 7}], response: "2"}], steps: 1)
                """);
        String chat = RlxSession.display(session.value(s, "chat_losses"));
        assertEquals(RlxSession.display(session.value(s, "text_losses")), chat,
                "a conversation prompt trains on exactly the template's rendering");
        assertTrue(!chat.equals(RlxSession.display(session.value(s, "raw_losses"))),
                "and not on the bare user text");
        RlxError e = assertThrows(RlxError.class, () -> session.value(s, "bad"));
        assertTrue(e.getMessage().contains("chat.rlx:9:7: sft:"), e.getMessage());
    }
}
