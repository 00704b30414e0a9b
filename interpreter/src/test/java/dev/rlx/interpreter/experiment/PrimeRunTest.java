package dev.rlx.interpreter.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.rlx.engine.rl.RlPlan;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The prm key and std/recipes/prime: planned from the script, trained, its outcome term checked. */
class PrimeRunTest {
    private final TinyExperiments tiny = new TinyExperiments();
    @TempDir Path dir;

    @AfterEach
    void close() {
        tiny.close();
    }

    private static final String PRIME = """
            import "std/recipes/prime" as prime
            reward right(s) = if contains(s.completion, "1") then 1.0 else 0.0
            """;

    private static String recipe(String extra) {
        return PRIME + "experiment e = prime.recipe(policy: p, data: d, rewards: right + 0.0 * shape, outcome: \"right\", "
                + "eval: {data: d, metric: right, every: 10}, group: 4, batch: 2, steps: 2, max_tokens: 4, lr: 1e-3, "
                + "min_accuracy: 0.0, max_accuracy: 1.0" + extra + ")\n";
    }

    @Test
    void thePrimeRecipeTrainsThePrmAndLogsIt() {
        RlPlan plan = tiny.plan(recipe(""), dir.resolve("plan"));
        assertTrue(plan.reference(), "a PRM implies the reference");
        assertEquals(0.05, plan.prm().beta(), 0.0);
        assertEquals(1e-6, plan.prm().optimizer().lr(), 0.0);
        assertEquals("right", plan.prm().outcomeTerm());
        List<JsonObject> m = tiny.run(recipe(""), dir.resolve("run"));
        assertEquals(2, m.size());
        for (String k : List.of("prm_loss", "prm_accuracy", "prm_pair_accuracy", "process_reward_mean", "loss")) {
            assertTrue(m.get(1).has(k), "metrics lack " + k + ": " + m.get(1));
        }
    }

    @Test
    void withoutProcessRewardsThereIsNoPrmAndNoReference() {
        RlPlan plan = tiny.plan(recipe(", process_rewards: false"), dir);
        assertEquals(null, plan.prm());
        assertFalse(plan.reference());
        List<JsonObject> m = tiny.run(recipe(", process_rewards: false"), dir.resolve("run"));
        assertFalse(m.get(0).has("prm_loss"));
    }

    @Test
    void anOutcomeThatNamesNoRewardTermIsAnErrorAtTheKey() {
        String text = tiny.planError(PRIME + "experiment e = train { policy: p, data: d, rewards: shape, "
                + "credit: (b) => b.scores, loss: (b) => mean(b.logp), prm: {outcome: \"right\"} }\n", dir);
        assertTrue(text.contains("train.prm.outcome") && text.contains("names no reward term")
                && text.contains("terms: shape"), text);
    }
}
