package dev.rlx.interpreter.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.rlx.interpreter.tensor.TensorValue;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * std/recipes/raft_pp (RAFT++ and, with reject_uniform, Reinforce-Rej) trains end to end through the engine;
 * its credit is checked by hand on a small batch, and its loss at the first update of a step (where
 * logp = old_logp, so every ratio is 1) against loss.ppo_clip's formula: max(-A*1, -A*clamp(1)) = -A per token.
 */
class RaftPlusPlusRunTest {
    private final TinyExperiments tiny = new TinyExperiments();
    @TempDir Path dir;

    @AfterEach
    void close() {
        tiny.close();
    }

    private static String recipe(String options) {
        return "import \"std/recipes/raft_pp\" as r\n"
                + "experiment e = r.recipe(policy: p, data: d, rewards: shape, group: 4, batch: 2, lr: 1e-2, max_tokens: 4, "
                + options + ")\n";
    }

    private static void has(JsonObject line, String... keys) {
        for (String k : keys) {
            assertTrue(line.has(k), k + " in " + line);
        }
    }

    private static double get(JsonObject line, String key) {
        return line.get(key).getAsDouble();
    }

    @Test
    void raftPlusPlusTrainsTwoStepsAndLogsItsDiagnostics() {
        // the tiny scores lie in [0, 1.5]: a threshold of 0.75 accepts some rows and rejects others
        List<JsonObject> m = tiny.run(recipe("steps: 2, threshold: 0.75"), dir);
        assertEquals(2, m.size());
        for (JsonObject line : m) {
            has(line, "loss", "clip_frac", "approx_kl", "accepted", "trained");
            // without the filter exactly the accepted rows carry a gradient
            assertEquals(get(line, "accepted"), get(line, "trained"), 0.0, line.toString());
            assertTrue(Double.isFinite(get(line, "loss")), line.toString());
        }
    }

    /**
     * The same seed samples the same first step with and without the filter; there (seed 0) one group is
     * mixed and one all accepted, so Reinforce-Rej trains fewer rows than it accepts and its loss, a
     * token-mean over every row, is closer to 0 than RAFT++'s.
     */
    @Test
    void reinforceRejTrainsTwoStepsAndDropsUniformGroups() {
        List<JsonObject> m = tiny.run(recipe("steps: 2, threshold: 0.75, reject_uniform: true"), dir);
        assertEquals(2, m.size());
        for (JsonObject line : m) {
            has(line, "loss", "clip_frac", "approx_kl", "accepted", "trained");
            assertTrue(get(line, "trained") <= get(line, "accepted"), line.toString());
            assertTrue(Double.isFinite(get(line, "loss")), line.toString());
        }
        JsonObject plain = tiny.run(recipe("steps: 1, threshold: 0.75"), dir.resolve("plain")).get(0);
        JsonObject rej = m.get(0);
        assertEquals(get(plain, "accepted"), get(rej, "accepted"), 0.0, "the same rollouts");
        assertTrue(get(rej, "trained") < get(rej, "accepted"), rej.toString());
        assertTrue(get(rej, "loss") < 0.0 && get(rej, "loss") > get(plain, "loss"), rej + " vs " + plain);
        List<JsonObject> neg = tiny.run(recipe("steps: 2, threshold: 0.75, reject_uniform: true, negative: -1.0"),
                dir.resolve("negative"));
        assertEquals(2, neg.size());
        has(neg.get(1), "loss", "accepted", "trained");
    }

    /**
     * One step, so the logged loss is that of the first update, at ratio 1: no row accepted gives A = 0 and
     * loss 0; every row accepted gives A = 1 and loss -token-mean(1) = -1; with reject_uniform every group of
     * that step is all accepted, so all are dropped and the loss is 0 again.
     */
    @Test
    void theFirstUpdateLossFollowsTheThreshold() {
        JsonObject none = tiny.run(recipe("steps: 1, threshold: 1e9"), dir.resolve("none")).get(0);
        assertEquals(0.0, get(none, "loss"), 0.0, none.toString());
        assertEquals(0.0, get(none, "accepted"), 0.0);
        assertEquals(0.0, get(none, "trained"), 0.0);

        JsonObject all = tiny.run(recipe("steps: 1, threshold: -1e9"), dir.resolve("all")).get(0);
        assertEquals(-1.0, get(all, "loss"), 1e-6, all.toString());
        assertEquals(1.0, get(all, "accepted"), 0.0);
        assertEquals(1.0, get(all, "trained"), 0.0);
        assertEquals(0.0, get(all, "clip_frac"), 0.0);

        JsonObject rej = tiny.run(recipe("steps: 1, threshold: -1e9, reject_uniform: true"), dir.resolve("rej")).get(0);
        assertEquals(0.0, get(rej, "loss"), 0.0, rej.toString());
        assertEquals(1.0, get(rej, "accepted"), 0.0);
        assertEquals(0.0, get(rej, "trained"), 0.0);
    }

    private double[] advantages(String args) {
        return advantages(4, args);
    }

    private double[] advantages(int group, String args) {
        var script = tiny.session.loadText("credit.rlx", "import \"std/recipes/raft_pp\" as r\n"
                + "s = tensor([0.9, 0.1, 0.5, 0.2, 1.0, 0.7, 0.6, 0.8, 0.0, 0.3, 0.4, 0.49])\n"
                + "a = r.advantages(s, " + group + args + ")\n");
        return ((TensorValue) tiny.session.value(script, "a")).tensor().toDoubleArray();
    }

    /** Three groups of 4: mixed (0.5 reaches 0.5), all accepted, all rejected (0.49 does not). */
    @Test
    void theCreditByHand() {
        assertArrayEquals(new double[] {1, 0, 1, 0, 1, 1, 1, 1, 0, 0, 0, 0}, advantages(""), 0.0);
        assertArrayEquals(new double[] {1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0}, advantages(", reject_uniform: true"), 0.0);
        assertArrayEquals(new double[] {1, -1, 1, -1, 1, 1, 1, 1, -1, -1, -1, -1}, advantages(", negative: -1.0"), 0.0);
        assertArrayEquals(new double[] {1, -1, 1, -1, 0, 0, 0, 0, 0, 0, 0, 0},
                advantages(", reject_uniform: true, negative: -1.0"), 0.0);
        assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0}, advantages(", threshold: 0.75"), 0.0);
        // at 0.75 the second group is mixed too (1.0 and 0.8 reach it), so the filter keeps it
        assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0},
                advantages(", threshold: 0.75, reject_uniform: true"), 0.0);
        // groups of 2: (0.9, 0.1) (0.5, 0.2) mixed, (1.0, 0.7) (0.6, 0.8) all accepted, the rest all rejected
        assertArrayEquals(new double[] {1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0}, advantages(2, ", reject_uniform: true"), 0.0);
        // groups of 1 are always uniform: Reinforce-Rej drops every row
        assertArrayEquals(new double[12], advantages(1, ", reject_uniform: true"), 0.0);
    }
}
