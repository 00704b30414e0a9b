package dev.rlx.interpreter.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * std/recipes/gmpo, gvpo and cppo train end to end through the engine and log their losses' diagnostics; the
 * losses themselves are checked number by number in FoundingMethodsReferenceTest, the pruning in
 * CompletionPruningRunTest.
 */
class FoundingRecipesRunTest {
    private final TinyExperiments tiny = new TinyExperiments();
    @TempDir Path dir;

    @AfterEach
    void close() {
        tiny.close();
    }

    private List<JsonObject> run(String name, String options) {
        return tiny.run("import \"std/recipes/" + name + "\" as r\n"
                + "experiment e = r.recipe(policy: p, data: d, rewards: shape, group: 4, batch: 2, lr: 1e-2, "
                + "max_tokens: 4, steps: 2" + options + ")\n", dir.resolve(name));
    }

    private static void has(JsonObject line, String... keys) {
        for (String k : keys) {
            assertTrue(line.has(k), k + " in " + line);
        }
    }

    @Test
    void gmpoTrainsWithItsLogSpaceClip() {
        List<JsonObject> m = run("gmpo", ", epochs: 2");
        assertEquals(2, m.size());
        has(m.get(1), "loss", "clip_frac", "ratio_mean", "approx_kl");
    }

    /** At the first epoch logp = old_logp, so every implied reward beta * sum(logp - old_logp) is 0. */
    @Test
    void gvpoTrainsOnCenteredScores() {
        List<JsonObject> m = run("gvpo", "");
        assertEquals(2, m.size());
        has(m.get(1), "loss", "implied_reward", "approx_kl");
        assertEquals(0.0, m.get(0).get("implied_reward").getAsDouble(), 1e-6);
    }

    @Test
    void cppoUpdatesOnTheKeptCompletionsOnly() {
        List<JsonObject> m = run("cppo", ", keep: 2");
        assertEquals(2, m.size());
        for (JsonObject line : m) {
            assertEquals(4, line.get("update_rows").getAsInt(), "2 prompts x 2 kept of 4: " + line);
        }
    }
}
