package dev.rlx.interpreter.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.rlx.engine.rl.RlPlan;
import dev.rlx.engine.rl.RlTrainer;
import dev.rlx.engine.rl.RunListener;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * State carried across steps, end to end through the engine: the three stdlib users (REINFORCE's moving
 * baseline, PPO's adaptive KL coefficient, ReMax's greedy baseline scores), checked against their formulas from
 * the logged inputs, so a state that is not threaded from step to step fails them; and the errors for reading
 * or returning what an experiment does not declare.
 */
class CarriedStateRunTest {
    private final TinyExperiments tiny = new TinyExperiments();
    @TempDir Path dir;

    @AfterEach
    void close() {
        tiny.close();
    }

    private static double num(JsonObject line, String key) {
        assertTrue(line.has(key), key + " in " + line);
        return line.get(key).getAsDouble();
    }

    private static final String REINFORCE = """
            import "std/recipes/reinforce" as reinforce
            experiment e = reinforce.recipe(policy: p, data: d, rewards: shape, group: 2, batch: 4, steps: 3, lr: 1e-2,
              max_tokens: 4, baseline_beta: 0.9, %s)
            """;

    /** b_1 = m_1 (the first batch's mean), then b_n = 0.9 b_(n-1) + 0.1 m_n, with m_n the logged mean reward. */
    @Test
    void reinforceCarriesItsMovingBaseline() {
        List<JsonObject> m = tiny.run(REINFORCE.formatted("seed: 0"), dir);
        assertEquals(3, m.size());
        double m1 = num(m.get(0), "reward");
        double m2 = num(m.get(1), "reward");
        double m3 = num(m.get(2), "reward");
        assertNotEquals(m1, m2, "the test needs the mean reward to move");
        double b1 = m1;
        double b2 = 0.9 * b1 + 0.1 * m2;
        double b3 = 0.9 * b2 + 0.1 * m3;
        assertEquals(b1, num(m.get(0), "state/baseline"), 1e-6);
        assertEquals(b2, num(m.get(1), "state/baseline"), 1e-6);
        assertEquals(b3, num(m.get(2), "state/baseline"), 1e-6);
        assertEquals(0.9, num(m.get(2), "state/beta"), 0.0);
    }

    /** Stopped after step 2 and resumed, the run ends with the baseline of the uninterrupted one. */
    @Test
    void aResumedRunContinuesFromTheCheckpointedState() {
        List<JsonObject> whole = tiny.run(REINFORCE.formatted("seed: 0"), dir.resolve("whole"));
        Path split = dir.resolve("split");
        RlPlan plan = tiny.plan(REINFORCE.formatted("seed: 0"), split);
        RunListener stopAfterTwo = TinyExperiments.stopAfter(2);
        try (RlTrainer.Result r = RlTrainer.run(plan, stopAfterTwo)) {
            assertEquals(2, TinyExperiments.metrics(split).size());
        }
        RlPlan again = tiny.plan(REINFORCE.formatted("seed: 0"), split);
        try (RlTrainer.Result r = RlTrainer.resume(again, split, RunListener.NONE)) {
            List<JsonObject> resumed = TinyExperiments.metrics(split);
            assertEquals(3, resumed.size());
            assertEquals(num(whole.get(2), "state/baseline"), num(resumed.get(2), "state/baseline"), 0.0);
        }
    }

    /**
     * With kl_target far above any KL the tiny model reaches, clamp(kl / target - 1, -0.2, 0.2) is -0.2 every step,
     * and with kl_horizon = the step's 8 samples, beta shrinks by 1 - 0.2 * 8 / 8 = 0.8 a step: 0.05 -> 0.04 ->
     * 0.032 -> 0.0256. Each step's update is also checked against the logged KL that drove it.
     */
    @Test
    void ppoAdaptsItsKlCoefficientFromStepToStep() {
        List<JsonObject> m = tiny.run("""
                import "std/recipes/ppo" as ppo
                experiment e = ppo.recipe(policy: p, data: d, rewards: shape, group: 2, batch: 4, steps: 3, lr: 1e-2,
                  max_tokens: 4, epochs: 1, beta: 0.05, kl_target: 1000000.0, kl_horizon: 8)
                """, dir);
        double[] expected = {0.04, 0.032, 0.0256};
        double previous = 0.05;
        for (int i = 0; i < 3; i++) {
            double beta = num(m.get(i), "state/beta");
            assertEquals(expected[i], beta, 1e-12, "step " + (i + 1));
            double kl = num(m.get(i), "state/kl");
            double err = Math.max(-0.2, Math.min(0.2, kl / 1000000.0 - 1));
            assertEquals(previous * (1 + err * 8 / 8), beta, 1e-12);
            previous = beta;
        }
        assertEquals(1000000.0, num(m.get(2), "state/target"), 0.0);
    }

    /**
     * One prompt only, so at step 1 (before any update) every row's baseline score is the score of the untrained
     * policy's greedy completion of it, computed here by generate(...) and the same reward function.
     */
    @Test
    void theGreedyBaselineReachesTheCreditFunction() {
        String script = """
                one = tasks.addition(digits: 1, count: 1, seed: 5)
                row = rows(one)[0]
                expected = score({prompt: row.prompt, answer: row.answer,
                                  completion: generate(p, row.prompt, max_tokens: 4).text})
                experiment e = train { policy: p, data: one, rewards: shape, loss: (b) => mean(b.logp),
                  rollout: {group: 2, max_tokens: 4, baseline: "greedy"}, batch: 2, steps: 2,
                  state: {seen: none, spread: none},
                  credit: (b) => {advantages: b.scores - b.baseline_scores,
                                  state: {seen: item(mean(b.baseline_scores)),
                                          spread: item(max(b.baseline_scores) - min(b.baseline_scores))}} }
                """;
        List<JsonObject> m = tiny.run(script, dir);
        double expected = (Double) tiny.session.value(tiny.load(script), "expected");
        assertEquals(expected, num(m.get(0), "state/seen"), 1e-6);
        assertEquals(0.0, num(m.get(0), "state/spread"), 0.0);
        assertEquals(expected, num(m.get(0), "baseline_reward"), 1e-6);
    }

    @Test
    void theRemaxRecipeCreditsAgainstTheGreedyScore() {
        List<JsonObject> m = tiny.run("""
                import "std/recipes/remax" as remax
                experiment e = remax.recipe(policy: p, data: d, rewards: shape, group: 2, batch: 2, steps: 2, max_tokens: 4)
                """, dir);
        assertEquals(2, m.size());
        assertTrue(m.get(1).has("baseline_reward"), m.get(1).toString());
    }

    @Test
    void readingRefLogpWithoutAReferenceIsAnErrorAtTheRead() {
        String train = TinyExperiments.train("").replace("loss: (b) => mean(b.logp)",
                "loss: (b) => mean(b.logp - b.ref_logp)");
        String error = tiny.runError(train, dir);
        assertTrue(error.startsWith("exp.rlx:7:" + (train.indexOf("b.ref_logp") + 1) + ": "), error);
        assertTrue(error.contains("the batch has no ref_logp: this experiment keeps no reference model"), error);
        assertTrue(error.contains("hint: set `reference: true` in its train record"), error);
    }

    @Test
    void readingStateWithoutDeclaringItIsAnErrorAtTheRead() {
        String error = tiny.runError(TinyExperiments.train("").replace("credit: (b) => b.scores",
                "credit: (b) => b.scores - b.state.baseline"), dir);
        assertTrue(error.contains("the batch has no state: this experiment carries none"), error);
    }

    @Test
    void returningStateWithoutDeclaringItIsAnErrorAtTheCreditFunction() {
        String error = tiny.runError(TinyExperiments.train("").replace("credit: (b) => b.scores",
                "credit: (b) => {advantages: b.scores, state: {n: 1}}"), dir);
        assertTrue(error.startsWith("exp.rlx:7:"), error);
        assertTrue(error.contains("the credit function returned a state, but the experiment carries none"), error);
    }

    @Test
    void aReturnedStateThatCannotBeCarriedIsAnErrorAtTheCreditFunction() {
        String tensor = tiny.runError(TinyExperiments.train("state: {xs: none}").replace(
                "credit: (b) => b.scores", "credit: (b) => {advantages: b.scores, state: {xs: b.scores}}"), dir.resolve("a"));
        assertTrue(tensor.contains("the credit function returned a state that cannot be carried to the next step: "
                + "state.xs is a tensor of shape [4]; only a one-element tensor is carried"), tensor);
        String fn = tiny.runError(TinyExperiments.train("state: {f: none}").replace(
                "credit: (b) => b.scores", "credit: (b) => {advantages: b.scores, state: {f: [1, score]}}"), dir.resolve("b"));
        assertTrue(fn.contains("state.f[1] is a function; carried state holds only numbers"), fn);
        String notRecord = tiny.runError(TinyExperiments.train("state: {}").replace(
                "credit: (b) => b.scores", "credit: (b) => {advantages: b.scores, state: 3}"), dir.resolve("c"));
        assertTrue(notRecord.contains("the credit function returned state as an int; expected a record {...}"), notRecord);
    }
}
