package dev.rlx.interpreter.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.rlx.engine.data.Dataset;
import dev.rlx.engine.data.Row;
import dev.rlx.engine.data.ScoredCompletions;
import dev.rlx.engine.pref.PreferencePlan;
import dev.rlx.engine.pref.PreferenceTrainer;
import dev.rlx.engine.rl.RunListener;
import dev.rlx.interpreter.api.RlxError;
import dev.rlx.interpreter.api.RlxSession;
import dev.rlx.interpreter.data.DatasetValue;
import dev.rlx.interpreter.diag.SourceText;
import dev.rlx.interpreter.tensor.TensorValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * QRPO offline (std/recipes/qrpo) from a script: scored completions sampled with sample_scored or read from JSONL,
 * the recipe's loss against interpreter/src/test/python/qrpo.py (plain Python from the paper's definition), a tiny
 * run, and the errors of the data path.
 */
class QrpoRunTest {
    private final TinyExperiments tiny = new TinyExperiments();
    @TempDir Path dir;

    @AfterEach
    void close() {
        tiny.close();
    }

    /** The JSONL of qrpo.py's file check: rewards 1, 0, 0.5, 2 with K = 3 (quantiles 1, 1/3, 2/3, 0). */
    private static final String FILE = """
            {"q": "1+2=", "text": "3", "r": 1.0, "refs": [0.0, 1.0, 0.5]}
            {"q": "2+2=", "text": "5", "r": 0, "refs": [0.0, 0.5, 1.0]}
            {"q": "3+4=", "text": "7", "r": 0.5, "refs": [0.5, -1.0, 1.0], "source": "hand"}
            {"q": "1+1=", "text": "11", "r": 2, "refs": [3.0, 2.5, 4.0]}
            """;

    private RlxSession.Script load(String declarations) {
        try {
            Files.createDirectories(dir.resolve("data"));
            if (!Files.exists(dir.resolve("data/q.jsonl"))) Files.writeString(dir.resolve("data/q.jsonl"), FILE);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String text = TinyExperiments.HEADER + """
                import "std/recipes/qrpo" as qrpo
                import "std/recipes/dpo" as dpo
                import "std/recipes/kto" as kto
                scored = tasks.jsonl("data/q.jsonl", prompt: "q", completion: "text", score: "r", reference_scores: "refs")
                """ + declarations;
        return tiny.session.load(new SourceText("exp.rlx", text, dir.resolve("exp.rlx").toString()), Map.of());
    }

    private List<JsonObject> run(String declarations, Path runDir) {
        PreferencePlan plan = PreferenceRunner.plan(tiny.session, load(declarations), "e", runDir);
        try (PreferenceTrainer.Result r = PreferenceTrainer.run(plan, RunListener.NONE)) {
            return Files.readAllLines(runDir.resolve("metrics.jsonl")).stream()
                    .map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void scoredJsonlRowsAreRecordsWithTheirRewards() {
        RlxSession.Script s = load("""
                first = scored[2]
                refs = scored[2].reference_scores
                """);
        assertEquals("<dataset q.jsonl, 4 scored completions>", RlxSession.display(tiny.session.value(s, "scored")));
        String first = RlxSession.display(tiny.session.value(s, "first"));
        assertTrue(first.contains("completion: \"7\"") && first.contains("score: 0.5") && first.contains("source: "),
                first);
        assertEquals("[0.5, -1.0, 1.0]", RlxSession.display(tiny.session.value(s, "refs")));
    }

    /** qrpo.py, "batch": the recipe's own loss function called on a hand-made batch record. */
    @Test
    void theRecipesLossMatchesTheHandWorkedBatch() {
        RlxSession.Script s = load("""
                b = {token_logp: tensor([[-0.5, -1.0, -9.0], [-0.2, -9.0, -9.0], [-1.5, -0.3, -0.7]]),
                     ref_token_logp: tensor([[-0.7, -0.6, 5.0], [-0.5, 5.0, 5.0], [-1.0, -0.9, -0.2]]),
                     mask: tensor([[1.0, 1.0, 0.0], [1.0, 0.0, 0.0], [1.0, 1.0, 1.0]]),
                     scores: tensor([0.5, 2.0, -1.0]),
                     reference_scores: tensor([[0.0, 0.5, 1.0, 0.25], [3.0, 1.0, 2.0, 2.0], [0.0, -0.5, 1.0, 2.0]])}
                out = qrpo.recipe(policy: p, data: scored).loss(b)
                half = qrpo.recipe(policy: p, data: scored, beta: 0.5).loss(b)
                """);
        assertScalar(0.1783299502, tiny.session.value(s, "out"), "loss");
        assertScalar(-0.01, tiny.session.value(s, "out"), "implied_reward");
        assertScalar(7.6973695060, tiny.session.value(s, "out"), "log_z");
        assertScalar(0.0726103655, tiny.session.value(s, "half"), "loss");
        assertScalar(-0.05, tiny.session.value(s, "half"), "implied_reward");
        assertScalar(1.1614393616, tiny.session.value(s, "half"), "log_z");
    }

    private static void assertScalar(double expected, Object record, String field) {
        Object v = ((dev.rlx.interpreter.runtime.RlxRecord) record).get(field);
        assertEquals(expected, ((TensorValue) v).tensor().item(), 1e-6, field);
    }

    /** qrpo.py, "file": at step 1 the policy is the reference, so the loss is mean((q - beta log Z)^2). */
    @Test
    void theFirstStepOnTheFileIsTheHandWorkedLoss() {
        PreferencePlan plan = PreferenceRunner.plan(tiny.session,
                load("experiment e = qrpo.recipe(policy: p, data: scored, batch: 4, steps: 1)"), "e", dir.resolve("p"));
        assertTrue(plan.scored());
        assertTrue(plan.reference(), "QRPO regresses on the log-ratio to the reference");
        List<JsonObject> m = run("experiment e = qrpo.recipe(policy: p, data: scored, batch: 4, steps: 1)",
                dir.resolve("a"));
        assertEquals(0.2116469114, m.get(0).get("loss").getAsDouble(), 1e-6);
        assertEquals(0.0, m.get(0).get("implied_reward").getAsDouble(), 1e-6);
        assertEquals(7.6973695060, m.get(0).get("log_z").getAsDouble(), 1e-5);
    }

    @Test
    void sampleScoredScoresKReferenceAndNTrainingCompletionsPerPrompt() {
        RlxSession.Script s = load("""
                mine = sample_scored(p, d[0:5], n: 2, k: 3, rewards: shape, seed: 3, max_tokens: 4)
                again = sample_scored(p, d[0:5], n: 2, k: 3, rewards: shape, seed: 3, max_tokens: 4)
                no_n = sample_scored(p, d, n: 0, k: 3, rewards: shape)
                no_k = sample_scored(p, d, n: 2, k: 0, rewards: shape)
                """);
        Dataset mine = ((DatasetValue) tiny.session.value(s, "mine")).dataset();
        assertTrue(mine.isScored());
        assertEquals(10, mine.size(), "n rows per prompt");
        assertEquals(mine.rows(), ((DatasetValue) tiny.session.value(s, "again")).dataset().rows(), "seeded");
        Dataset prompts = ((DatasetValue) tiny.session.value(s, "d")).dataset();
        java.util.Set<Double> rewards = new java.util.HashSet<>();
        for (int i = 0; i < 10; i++) {
            Row row = mine.get(i);
            assertEquals(prompts.get(i / 2).prompt(), row.prompt());
            assertEquals(prompts.get(i / 2).answer(), row.answer());
            String c = ScoredCompletions.completion(row);
            // TinyExperiments' score: len / 4 + 0.5 when the completion has a "1"
            assertEquals(c.length() / 4.0 + (c.contains("1") ? 0.5 : 0.0), ScoredCompletions.score(row), 1e-12, c);
            assertEquals(3, ScoredCompletions.referenceScores(row).length);
            for (double r : ScoredCompletions.referenceScores(row)) {
                assertTrue(r >= 0 && (r * 4) % 1 == 0, "a score (len / 4, + 0.5): " + r);
            }
            rewards.add(ScoredCompletions.score(row));
        }
        for (int i = 0; i < 10; i += 2) {
            assertArrayEquals(ScoredCompletions.referenceScores(mine.get(i)),
                    ScoredCompletions.referenceScores(mine.get(i + 1)), "one prompt, one reference sample");
        }
        assertTrue(rewards.size() > 1, "sampled completions differ: " + rewards);
        assertTrue(message(() -> tiny.session.value(s, "no_n")).contains("sample_scored: n (completions to train on "
                + "per prompt) must be at least 1, got 0"));
        assertTrue(message(() -> tiny.session.value(s, "no_k")).contains("sample_scored: k (reference samples per "
                + "prompt) must be at least 1, got 0"));
    }

    @Test
    void theRecipeTrainsOnSampledRows() {
        List<JsonObject> m = run("""
                mine = sample_scored(p, d[0:8], n: 2, k: 4, rewards: shape, seed: 1, max_tokens: 4)
                experiment e = qrpo.recipe(policy: p, data: mine, lr: 1e-3, batch: 4, steps: 3)
                """, dir.resolve("s"));
        assertEquals(3, m.size());
        for (JsonObject line : m) {
            for (String k : List.of("loss", "implied_reward", "log_z", "grad_norm", "lr")) {
                assertTrue(line.has(k), "lacks " + k + ": " + line);
            }
        }
        assertTrue(m.get(2).get("implied_reward").getAsDouble() != 0.0, "the policy moved off the reference");
    }

    @Test
    void dataErrorsNameTheFileLineAndTheFields() throws Exception {
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/bad.jsonl"), """
                {"q": "1+2=", "text": "3", "r": 1.0, "refs": [0.0, 1.0, 0.5]}
                {"q": "2+2=", "text": "5", "r": "high", "refs": [0.0, 0.5, 1.0]}
                """);
        Files.writeString(dir.resolve("data/k.jsonl"), """
                {"q": "1+2=", "text": "3", "r": 1.0, "refs": [0.0, 1.0, 0.5]}
                {"q": "2+2=", "text": "5", "r": 0.0, "refs": [0.0, 0.5]}
                """);
        RlxSession.Script s = load("""
                bad = tasks.jsonl("data/bad.jsonl", prompt: "q", completion: "text", score: "r", reference_scores: "refs")
                k = tasks.jsonl("data/k.jsonl", prompt: "q", completion: "text", score: "r", reference_scores: "refs")
                half = tasks.jsonl("data/q.jsonl", prompt: "q", completion: "text", score: "r")
                both = tasks.jsonl("data/q.jsonl", prompt: "q", completion: "text", desirable: "ok", score: "r", reference_scores: "refs")
                """);
        assertTrue(message(() -> tiny.session.value(s, "bad")).contains("read_jsonl: data/bad.jsonl:2: field \"r\" "
                + "(the completion's score) must be a number, not a string"));
        assertTrue(message(() -> tiny.session.value(s, "k")).contains("read_jsonl: data/k.jsonl:2: field \"refs\" (the "
                + "scores of the reference samples) has 2 numbers, line 1 has 3"));
        assertTrue(message(() -> tiny.session.value(s, "half")).contains("completion, score and reference_scores go "
                + "together"));
        assertTrue(message(() -> tiny.session.value(s, "both")).contains("flagged (desirable: KTO's rows) or scored"));
    }

    @Test
    void aLossReadingAnotherFormsFieldsSaysWhatTheBatchHas() {
        String dpo = runError("experiment e = dpo.recipe(policy: p, data: scored, steps: 1)");
        assertTrue(dpo.contains("no chosen_logp") && dpo.contains("scored completions") && dpo.contains("reference_scores"), dpo);
        String kto = runError("experiment e = kto.recipe(policy: p, data: scored, steps: 1)");
        assertTrue(kto.contains("no desirable") && kto.contains("scored completions")
                && kto.contains("desirable with labeled data"), kto);
        String pairs = runError("experiment e = qrpo.recipe(policy: p, data: tasks.preferences(d), steps: 1)");
        assertTrue(pairs.contains("no token_logp") && pairs.contains("trains on pairs"), pairs);
    }

    private String runError(String declarations) {
        return message(() -> run(declarations, dir.resolve("err" + System.nanoTime())));
    }

    private static String message(org.junit.jupiter.api.function.Executable e) {
        Throwable thrown = assertThrows(RuntimeException.class, e);
        StringBuilder sb = new StringBuilder();
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            sb.append(t instanceof RlxError r ? r.formatted() : t.getMessage()).append('\n');
        }
        return sb.toString();
    }
}
