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
 * Half precision at tiny size: what works (float16 generation) works, and what does not yet (bfloat16 models,
 * which abort the native runtime; float16 training) is a located error before anything runs, never a crash.
 */
class HalfPrecisionTest {
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

    @Test
    void float16GeneratesAndHalfPrecisionTrainingOrBfloat16IsALocatedError(@TempDir Path dir) throws Exception {
        String text = """
                import "std/recipes/grpo" as grpo
                import "std/recipes/dpo" as dpo
                import "std/tasks" as tasks
                tok = char_tokenizer("0123456789+=")
                f32 = gpt(tokenizer: tok, layers: 1, dim: 16, heads: 2, context: 32, seed: 1)
                saved = save_model(f32, "m")
                f16 = gpt(tokenizer: tok, layers: 1, dim: 16, heads: 2, context: 32, seed: 1, dtype: "float16")
                g16 = len(generate(f16, "1+2=", max_tokens: 3, greedy: true).tokens)
                bf = gpt(tokenizer: tok, layers: 1, dim: 16, heads: 2, context: 32, dtype: "bfloat16")
                bf_loaded = load_model("m", dtype: "bf16")
                f16_loaded = len(generate(load_model("m", dtype: "float16"), "1+2=", max_tokens: 3).tokens)
                tuned = sft(f16, data: [{prompt: "1+2=", response: "3"}], steps: 1)
                reward r(s) = 0.0
                experiment exp = grpo.recipe(policy: f16, data: tasks.addition(count: 4), rewards: r, steps: 1,
                                             batch: 1, group: 2)
                rm16 = train_reward_model(reward_model(f16), [{prompt: "1+2=", chosen: "3", rejected: "4"}], steps: 1)
                experiment pref = dpo.recipe(policy: f16, data: tasks.preferences(tasks.addition(count: 4)), steps: 1)
                """;
        Path file = dir.resolve("half.rlx");
        Files.writeString(file, text);
        RlxSession.Script s = session.load(new SourceText("half.rlx", text, file.toString()), Map.of());
        session.value(s, "saved");
        assertEquals(3L, session.value(s, "g16"));
        assertEquals(3L, session.value(s, "f16_loaded"));
        RlxError e = assertThrows(RlxError.class, () -> session.value(s, "bf"));
        assertTrue(e.getMessage().contains("half.rlx:9:6: gpt: dtype \"bfloat16\" is not supported"), e.getMessage());
        e = assertThrows(RlxError.class, () -> session.value(s, "bf_loaded"));
        assertTrue(e.getMessage().contains("half.rlx:10:13: load_model: dtype \"bf16\" is not supported"), e.getMessage());
        e = assertThrows(RlxError.class, () -> session.value(s, "tuned"));
        assertTrue(e.getMessage().contains("half.rlx:12:9: sft: sft needs a float32 model, this one is float16"),
                e.getMessage());
        e = assertThrows(RlxError.class, () -> dev.rlx.interpreter.experiment.ExperimentRunner.plan(
                session, s, "exp", dir.resolve("run")));
        assertTrue(e.getMessage().contains("is a float16 model: RL steps need float32"), e.getMessage());
        e = assertThrows(RlxError.class, () -> session.value(s, "rm16"));
        assertTrue(e.getMessage().contains("half.rlx:16:8: train_reward_model: train_reward_model needs a float32 "
                + "reward model, this one is float16"), e.getMessage());
        e = assertThrows(RlxError.class, () -> dev.rlx.interpreter.experiment.PreferenceRunner.plan(
                session, s, "pref", dir.resolve("pref")));
        assertTrue(e.getMessage().contains("is a float16 model: preference training needs float32"), e.getMessage());
    }
}
