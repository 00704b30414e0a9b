package dev.rlx.interpreter.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * std/recipes/cispo and std/recipes/sapo train end to end through the engine, with their options: the KL term
 * (which keeps a reference model), several epochs, and the off-policy mask over b.sampling_logp. The losses
 * themselves are checked number by number in PolicyLossReferenceTest.
 */
class FrontierRecipesRunTest {
    private final TinyExperiments tiny = new TinyExperiments();
    @TempDir Path dir;

    @AfterEach
    void close() {
        tiny.close();
    }

    private static String recipe(String name, String options) {
        return "import \"std/recipes/" + name + "\" as r\n"
                + "experiment e = r.recipe(policy: p, data: d, rewards: shape, group: 4, batch: 2, lr: 1e-2, max_tokens: 4, "
                + options + ")\n";
    }

    private static void has(JsonObject line, String... keys) {
        for (String k : keys) {
            assertTrue(line.has(k), k + " in " + line);
        }
    }

    @Test
    void cispoTrainsWithKlEpochsAndTheOffPolicyMask() {
        List<JsonObject> m = tiny.run(recipe("cispo", "steps: 2, beta: 0.05, epochs: 2, off_policy_threshold: 0.5"), dir);
        assertEquals(2, m.size());
        has(m.get(1), "loss", "clip_frac", "approx_kl", "kl");
    }

    @Test
    void sapoTrainsWithKlEpochsAndTheOffPolicyMask() {
        List<JsonObject> m = tiny.run(recipe("sapo", "steps: 2, beta: 0.05, epochs: 2, off_policy_threshold: 0.5"), dir);
        assertEquals(2, m.size());
        has(m.get(1), "loss", "gate", "approx_kl", "kl");
        assertTrue(m.get(1).get("gate").getAsDouble() > 0.0 && m.get(1).get("gate").getAsDouble() <= 1.0, m.get(1).toString());
    }

    /**
     * One step, so the first update's loss is the loss of the sampling policy: a threshold no sequence exceeds
     * keeps every token (the same loss as without the mask); one every sequence exceeds drops the rows with
     * A < 0, which changes it.
     */
    @Test
    void theOffPolicyMaskDropsOnlyNegativeRowsOverItsThreshold() {
        double plain = lossOf("cispo", "steps: 1", "plain");
        assertEquals(plain, lossOf("cispo", "steps: 1, off_policy_threshold: 1e9", "loose"), 0.0);
        assertNotEquals(plain, lossOf("cispo", "steps: 1, off_policy_threshold: -1e9", "strict"));
        double sapo = lossOf("sapo", "steps: 1", "sapo_plain");
        assertEquals(sapo, lossOf("sapo", "steps: 1, off_policy_threshold: 1e9", "sapo_loose"), 0.0);
        assertNotEquals(sapo, lossOf("sapo", "steps: 1, off_policy_threshold: -1e9", "sapo_strict"));
    }

    private double lossOf(String name, String options, String runDir) {
        List<JsonObject> m = tiny.run(recipe(name, options), dir.resolve(runDir));
        return m.get(0).get("loss").getAsDouble();
    }
}
