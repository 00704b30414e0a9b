package dev.rlx.interpreter.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CPPO's `prune: {keep}`: the update's batch holds `keep` completions per group; bad values are located errors. */
class CompletionPruningRunTest {
    private final TinyExperiments tiny = new TinyExperiments();
    @TempDir Path dir;

    @AfterEach
    void close() {
        tiny.close();
    }

    /** The loss reports how many rows it saw; group-relative advantages centre each group of 4. */
    private static String experiment(String prune) {
        return "experiment e = train { policy: p, data: d, rewards: shape, rollout: {group: 4, max_tokens: 4}, "
                + "batch: 2, steps: 2, credit: (b) => credit.grpo(b.scores, b.group), "
                + "loss: (b) => {loss: mean(b.logp * b.mask), rows: sum(ones_like(b.scores))}"
                + (prune.isEmpty() ? "" : ", " + prune) + " }\n";
    }

    @Test
    void theUpdateTrainsOnKeepCompletionsPerGroup() {
        List<JsonObject> all = tiny.run(experiment(""), dir.resolve("all"));
        assertEquals(8.0, all.get(0).get("rows").getAsDouble(), "2 prompts x 4 completions");
        assertFalse(all.get(0).has("update_rows"));
        List<JsonObject> pruned = tiny.run(experiment("prune: {keep: 2}"), dir.resolve("pruned"));
        for (JsonObject line : pruned) {
            assertEquals(4.0, line.get("rows").getAsDouble(), "2 prompts x 2 kept: " + line);
            assertEquals(4, line.get("update_rows").getAsInt());
        }
    }

    @Test
    void keepMustLeaveSomethingToPrune() {
        String e = tiny.planError(experiment("prune: {keep: 4}"), dir);
        assertTrue(e.contains("prune.keep") && e.contains("between 1 and the group size - 1 (3), got 4"), e);
        e = tiny.planError(experiment("prune: {keep: 0}"), dir);
        assertTrue(e.contains("got 0"), e);
    }
}
