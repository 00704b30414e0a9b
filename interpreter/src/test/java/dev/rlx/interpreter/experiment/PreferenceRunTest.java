package dev.rlx.interpreter.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.rlx.engine.pref.PreferencePlan;
import dev.rlx.engine.pref.PreferenceTrainer;
import dev.rlx.engine.rl.RunListener;
import dev.rlx.interpreter.api.RlxError;
import dev.rlx.interpreter.data.DatasetValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `preference { ... }` experiments: planned from the record, trained by the preference loop, recipes, errors. */
class PreferenceRunTest {
    private final TinyExperiments tiny = new TinyExperiments();
    @TempDir Path dir;

    @AfterEach
    void close() {
        tiny.close();
    }

    private static final String PAIRS = """
            import "std/recipes/dpo" as dpo
            import "std/recipes/simpo" as simpo
            import "std/recipes/orpo" as orpo
            import "std/recipes/kto" as kto
            import "std/recipes/ipo" as ipo
            pairs = tasks.preferences(d, seed: 2)
            """;

    private PreferencePlan plan(String declarations, Path runDir) {
        return PreferenceRunner.plan(tiny.session, tiny.load(PAIRS + declarations), "e", runDir);
    }

    private List<JsonObject> run(String declarations, Path runDir) {
        try (PreferenceTrainer.Result r = PreferenceTrainer.run(plan(declarations, runDir), RunListener.NONE)) {
            return metrics(runDir);
        }
    }

    private static List<JsonObject> metrics(Path runDir) {
        try {
            return Files.readAllLines(runDir.resolve("metrics.jsonl")).stream()
                    .map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void stepsDefaultToEpochsOverThePairs() {
        PreferencePlan p = plan("experiment e = dpo.recipe(policy: p, data: pairs, batch: 5, epochs: 2)", dir);
        assertEquals(32, p.examples().size());
        assertEquals(13, p.steps(), "ceil(2 * 32 / 5)");
        assertTrue(p.reference());
        PreferencePlan q = plan("experiment e = simpo.recipe(policy: p, data: pairs, steps: 3)", dir);
        assertEquals(3, q.steps());
        assertTrue(!q.reference(), "SimPO keeps no reference");
    }

    @Test
    void everyRecipeTrainsAndLogsItsDiagnostics() {
        String[][] cases = {
            {"dpo.recipe(policy: p, data: pairs, lr: 1e-3, batch: 4, steps: 2)", "chosen_reward"},
            {"dpo.recipe(policy: p, data: pairs, variant: \"cdpo\", lr: 1e-3, batch: 4, steps: 2)", "margin"},
            {"ipo.recipe(policy: p, data: pairs, lr: 1e-3, batch: 4, steps: 2)", "accuracy"},
            {"simpo.recipe(policy: p, data: pairs, lr: 1e-3, batch: 4, steps: 2)", "rejected_reward"},
            {"orpo.recipe(policy: p, data: pairs, lr: 1e-3, batch: 4, steps: 2)", "log_odds_ratio"},
            {"kto.recipe(policy: p, data: pairs, lr: 1e-3, batch: 4, steps: 2)", "kl"},
        };
        for (int i = 0; i < cases.length; i++) {
            List<JsonObject> m = run("experiment e = " + cases[i][0], dir.resolve("r" + i));
            assertEquals(2, m.size(), cases[i][0]);
            for (String k : List.of("loss", "grad_norm", "lr", cases[i][1])) {
                assertTrue(m.get(1).has(k), cases[i][0] + " lacks " + k + ": " + m.get(1));
            }
        }
    }

    @Test
    void ktoTrainsOnUnpairedRows() {
        PreferencePlan p = plan("experiment e = kto.recipe(policy: p, data: tasks.unpaired(pairs), batch: 6, steps: 2)",
                dir.resolve("p"));
        assertTrue(p.labeled());
        assertEquals(64, p.examples().size(), "two labeled rows per pair");
        List<JsonObject> m = run("experiment e = kto.recipe(policy: p, data: tasks.unpaired(pairs), lr: 1e-3, batch: 6, "
                + "steps: 2)", dir.resolve("a"));
        assertEquals(0.5, m.get(0).get("loss").getAsDouble(), 1e-6, "1 - sigmoid(0) on every row at step 1");
        for (String k : List.of("kl", "chosen_reward", "rejected_reward", "grad_norm")) {
            assertTrue(m.get(1).has(k), "lacks " + k + ": " + m.get(1));
        }
    }

    @Test
    void aPairLossOnUnpairedRowsSaysWhatTheBatchHas() {
        RlxError e = assertThrows(RlxError.class, () -> run(
                "experiment e = dpo.recipe(policy: p, data: tasks.unpaired(pairs), steps: 1)", dir));
        String text = messages(e);
        assertTrue(text.contains("no chosen_logp") && text.contains("unpaired labeled completions")
                && text.contains("logratio"), text);
    }

    /** At step 1 the policy is the reference, so DPO's loss is log 2 and IPO's is (1 / (2 beta))^2. */
    @Test
    void theFirstStepLossIsKnownExactly() {
        assertEquals(Math.log(2), run("experiment e = dpo.recipe(policy: p, data: pairs, steps: 1)", dir.resolve("a"))
                .get(0).get("loss").getAsDouble(), 1e-6);
        assertEquals(25.0, run("experiment e = ipo.recipe(policy: p, data: pairs, steps: 1)", dir.resolve("b"))
                .get(0).get("loss").getAsDouble(), 1e-4);
        assertEquals(0.5, run("experiment e = kto.recipe(policy: p, data: pairs, steps: 1)", dir.resolve("c"))
                .get(0).get("loss").getAsDouble(), 1e-6, "1 - sigmoid(0) on every row");
    }

    @Test
    void aReferenceFieldWithoutAReferenceIsAnErrorAtTheRead() {
        RuntimeException e = assertThrows(RuntimeException.class, () -> run("""
                experiment e = preference { policy: p, data: pairs, reference: false, steps: 1,
                  loss: (b) => mean(b.chosen_logp - b.ref_chosen_logp) }
                """, dir));
        String text = messages(e);
        assertTrue(text.contains("no ref_chosen_logp") && text.contains("reference: true"), text);
    }

    @Test
    void promptDataWithoutPairsIsRefusedAtTheDataKey() {
        RlxError e = assertThrows(RlxError.class, () -> plan("""
                experiment e = preference { policy: p, data: d, loss: (b) => mean(b.chosen_logp) }
                """, dir));
        assertTrue(e.formatted().contains("exp.rlx:") && e.formatted().contains("preference.data")
                && e.formatted().contains("holds neither preference pairs"), e.formatted());
    }

    @Test
    void samplePairsPairsTheBestWithTheWorstAndSkipsTies() {
        var script = tiny.load("""
                reward long(s) = len(s.completion)
                reward flat(s) = 1.0
                mine = sample_pairs(p, d, n: 4, rewards: long, seed: 3, max_tokens: 4)
                none_left = sample_pairs(p, d, n: 4, rewards: flat, seed: 3, max_tokens: 4)
                """);
        DatasetValue mine = (DatasetValue) tiny.session.value(script, "mine");
        assertTrue(mine.dataset().isPairs() && mine.dataset().size() > 0);
        for (var row : mine.dataset().rows()) {
            double c = (Double) row.fields().get("chosen_score");
            double r = (Double) row.fields().get("rejected_score");
            assertTrue(c > r, row.toString());
            assertEquals(c, ((String) row.fields().get("chosen")).length(), 0.0);
            assertEquals(r, ((String) row.fields().get("rejected")).length(), 0.0);
        }
        assertEquals(0, ((DatasetValue) tiny.session.value(script, "none_left")).dataset().size(),
                "equal scores everywhere: no pairs");
    }

    /** RAFT keeps at most the best of each group (here groups of 4, so at most a quarter of the rows). */
    @Test
    void raftKeepsTheBestOfEachGroupAboveTheThreshold() {
        List<JsonObject> m = tiny.run("""
                import "std/recipes/raft" as raft
                experiment e = raft.recipe(policy: p, data: d, rewards: shape, group: 4, batch: 2, steps: 2,
                                           threshold: 0.0, max_tokens: 4, lr: 1e-3)
                """, dir);
        assertEquals(2, m.size());
        for (JsonObject line : m) {
            assertTrue(line.get("kept").getAsDouble() > 0 && line.get("kept").getAsDouble() <= 0.25, line.toString());
            assertTrue(line.get("loss").getAsDouble() > 0, "an NLL: " + line);
        }
        List<JsonObject> none = tiny.run("""
                import "std/recipes/raft" as raft
                experiment e = raft.recipe(policy: p, data: d, rewards: shape, group: 4, batch: 2, steps: 1,
                                           threshold: 100.0, max_tokens: 4)
                """, dir.resolve("none"));
        assertEquals(0.0, none.get(0).get("kept").getAsDouble(), 0.0);
        assertEquals(0.0, none.get(0).get("loss").getAsDouble(), 0.0);
    }

    private static String messages(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t instanceof RlxError r ? r.formatted() : t.getMessage()).append('\n');
        }
        return sb.toString();
    }
}
