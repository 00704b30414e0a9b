package dev.rlx.interpreter.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.rlx.engine.data.Dataset;
import dev.rlx.engine.data.TokenPair;
import dev.rlx.engine.pref.Contrast;
import dev.rlx.engine.pref.PreferencePlan;
import dev.rlx.engine.pref.PreferenceTrainer;
import dev.rlx.engine.rl.RunListener;
import dev.rlx.engine.tokenizer.Tokenizer;
import dev.rlx.interpreter.api.RlxError;
import dev.rlx.interpreter.data.DatasetValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Step-DPO (tasks.step_preferences + std/recipes/dpo) and T-REG (contrast: {...} + std/recipes/t_reg) from a script:
 * planned, trained a few steps on a 1-layer GPT, the contrast fields read by a loss, and the errors of both.
 */
class StepDpoAndTRegRunTest {
    private final TinyExperiments tiny = new TinyExperiments();
    @TempDir Path dir;

    @AfterEach
    void close() {
        tiny.close();
    }

    /** Step prompts of one-digit additions are up to 13 characters: a longer context than TinyExperiments' p. */
    private static final String STEPS = """
            import "std/recipes/dpo" as dpo
            import "std/recipes/t_reg" as t_reg
            q = gpt(tokenizer: tasks.arith_tokenizer(), layers: 1, dim: 16, heads: 2, context: 24, seed: 3)
            steps = tasks.step_preferences(d, seed: 4)
            """;

    private PreferencePlan plan(String declarations, Path runDir) {
        return PreferenceRunner.plan(tiny.session, tiny.load(STEPS + declarations), "e", runDir);
    }

    private List<JsonObject> run(String declarations, Path runDir) {
        try (PreferenceTrainer.Result r = PreferenceTrainer.run(plan(declarations, runDir), RunListener.NONE)) {
            return Files.readAllLines(runDir.resolve("metrics.jsonl")).stream()
                    .map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void stepDpoIsTheDpoRecipeOnStepPairs() {
        PreferencePlan p = plan("experiment e = dpo.recipe(policy: q, data: steps, batch: 4, steps: 2)", dir.resolve("p"));
        Dataset pairs = ((DatasetValue) tiny.session.value(tiny.load(STEPS), "steps")).dataset();
        assertEquals(32, p.examples().size());
        Tokenizer tok = p.tokenizer();
        for (int i = 0; i < pairs.size(); i++) {
            TokenPair t = (TokenPair) p.examples().get(i);
            boolean partial = (Boolean) pairs.get(i).fields().get("partial");
            assertEquals(partial, t.chosen()[t.chosen().length - 1] != tok.eosId(), "EOS only after the answer step");
        }
        List<JsonObject> m = run("experiment e = dpo.recipe(policy: q, data: steps, lr: 1e-3, batch: 4, steps: 2)",
                dir.resolve("r"));
        assertEquals(Math.log(2), m.get(0).get("loss").getAsDouble(), 1e-6, "policy = reference at step 1");
        assertTrue(m.get(1).has("margin") && m.get(1).has("chosen_reward"), m.get(1).toString());
    }

    @Test
    void theContrastRecordBecomesInstructedPromptsAndAScorer() {
        PreferencePlan p = plan("""
                experiment e = t_reg.recipe(policy: q, data: steps, better: "9+9=18,", worse: "9+9=17,", steps: 1)
                """, dir);
        Contrast c = p.contrast();
        Dataset pairs = ((DatasetValue) tiny.session.value(tiny.load(STEPS), "steps")).dataset();
        for (int i = 0; i < pairs.size(); i++) {
            assertArrayEquals(p.tokenizer().encodeWithBos("9+9=18," + pairs.get(i).prompt()), c.better().get(i));
            assertArrayEquals(p.tokenizer().encodeWithBos("9+9=17," + pairs.get(i).prompt()), c.worse().get(i));
        }
        assertEquals(Contrast.Scorer.REFERENCE, c.scorer(), "T-REG's default: the reference scores");
        assertEquals(Contrast.Scorer.POLICY, plan("""
                experiment e = t_reg.recipe(policy: q, data: steps, better: "1", worse: "2", scorer: "policy", steps: 1)
                """, dir).contrast().scorer());
        assertEquals(null, plan("experiment e = dpo.recipe(policy: q, data: steps, steps: 1)", dir).contrast());
    }

    /**
     * An empty better instruction leaves the prompt as it is, so at step 1 (policy = reference) its token log-probs are
     * b.chosen_token_logp's; a non-empty worse instruction changes them.
     */
    @Test
    void theContrastFieldsAreTheLogProbsAfterTheInstructedPrompts() {
        List<JsonObject> m = run("""
                experiment e = preference { policy: q, data: steps, steps: 1, batch: 8,
                  contrast: {better: "", worse: "5+5=10,"},
                  loss: (b) => {loss: mean(b.chosen_logp) * 0.0,
                                same_c: amax(abs(b.better_chosen_token_logp - b.chosen_token_logp)),
                                same_r: amax(abs(b.better_rejected_token_logp - b.rejected_token_logp)),
                                apart: amax(abs(b.worse_chosen_token_logp - b.chosen_token_logp)),
                                padding: amax(abs(b.worse_rejected_token_logp * (1.0 - b.rejected_mask)))} }
                """, dir);
        JsonObject line = m.get(0);
        assertEquals(0.0, line.get("same_c").getAsDouble(), 1e-5, line.toString());
        assertEquals(0.0, line.get("same_r").getAsDouble(), 1e-5, line.toString());
        assertTrue(line.get("apart").getAsDouble() > 1e-4, line.toString());
        assertEquals(0.0, line.get("padding").getAsDouble(), 0.0, "0 on padding: " + line);
    }

    @Test
    void tRegTrainsAndLogsItsRegularizer() {
        List<JsonObject> m = run("""
                experiment e = t_reg.recipe(policy: q, data: steps, better: "9+9=18,", worse: "9+9=17,",
                                            lr: 1e-3, batch: 4, steps: 2, alpha: 0.5)
                """, dir);
        assertEquals(2, m.size());
        assertEquals(0.5, m.get(0).get("weight").getAsDouble(), 1e-6, "h = 0 at step 1: sigmoid(0)");
        double reg = m.get(0).get("reg").getAsDouble();
        assertEquals(Math.log(2) + 0.5 * reg, m.get(0).get("loss").getAsDouble(), 1e-5, "DPO's log 2 + alpha reg");
        for (String k : List.of("accuracy", "margin", "chosen_reward", "rejected_reward", "grad_norm")) {
            assertTrue(m.get(1).has(k), "lacks " + k + ": " + m.get(1));
        }
    }

    @Test
    void contrastErrorsPointIntoTheRecord() {
        String noContrast = runError("""
                experiment e = preference { policy: q, data: steps, steps: 1,
                  loss: (b) => mean(b.better_chosen_token_logp) }
                """);
        assertTrue(noContrast.contains("no better_chosen_token_logp") && noContrast.contains("contrast: {better:"),
                noContrast);
        String[][] cases = {
            {"contrast: {better: \"1\", worse: \"2\"}, reference: false",
                "preference.contrast.model is \"reference\", but the experiment keeps no reference model"},
            {"contrast: {better: \"1\", worse: \"1\"}", "preference.contrast.worse is the better instruction again"},
            {"contrast: {better: \"Be right. \", worse: \"2\"}",
                "the better instruction \"Be right. \" has characters the tokenizer cannot write"},
            {"contrast: {better: \"1\", worse: \"2\", model: \"ref\"}", "preference.contrast.model must be"},
            {"contrast: {better: \"11111111111\", worse: \"2\"}", "exceeds the model's context of 24"},
        };
        for (String[] c : cases) {
            RlxError e = assertThrows(RlxError.class, () -> plan("experiment e = preference { policy: q, data: steps, "
                    + "steps: 1, loss: (b) => mean(b.chosen_logp), " + c[0] + " }", dir), c[0]);
            assertTrue(e.formatted().contains("exp.rlx:") && e.formatted().contains(c[1]), e.formatted());
        }
    }

    @Test
    void stepPairsNeedAdditions() {
        RlxError e = assertThrows(RlxError.class, () -> tiny.session.value(tiny.load("""
                bad = tasks.step_preferences(tasks.multiplication(digits: 1, count: 3))
                """), "bad"));
        assertTrue(e.formatted().contains("is not an addition \"a+b=\""), e.formatted());
        RlxError pairs = assertThrows(RlxError.class, () -> tiny.session.value(tiny.load("""
                bad = tasks.step_preferences(tasks.preferences(d))
                """), "bad"));
        assertTrue(pairs.formatted().contains("already holds preference pairs"), pairs.formatted());
    }

    /** The script error that stops training `e`, with its causes. */
    private String runError(String declarations) {
        RuntimeException e = assertThrows(RuntimeException.class, () -> run(declarations, dir.resolve("err")));
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t instanceof RlxError r ? r.formatted() : t.getMessage()).append('\n');
        }
        return sb.toString();
    }
}
